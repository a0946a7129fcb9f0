export { createHookHandler, DEFAULT_MAX_BODY_BYTES, type HookAppOptions, type HookLogEntry, type HookTransfers } from './app.js';
export { createHookServer, type HookServer, type HookServerOptions } from './server.js';
