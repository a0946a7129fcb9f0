export { startSummaSandbox, type SummaSandbox, type SummaSandboxOptions } from './server.js';
export type { ReceivedUpdate, SandboxSnapshot, StatusFault } from './state.js';
