// The vocabulary the workflows and their callers (hook, CLI, client API, worker) share: statuses and steps, ids,
// failure types, task queues and search attributes. Pure, deterministic code only: workflow code imports it, and
// the workflow lint rules cover this folder too.
export * from './failures.js';
export * from './ids.js';
export * from './invoice.js';
export * from './search-attributes.js';
export type * from './service.js';
export * from './status.js';
export * from './task-queues.js';
export * from './versions.js';
export * from './fortnox-budget.js';
export * from './metrics.js';
