/**
 * The task queue of a tenant's Fortnox activities. One per tenant so that the server-side rate limit on it paces
 * that tenant's Fortnox work across every worker process, and one tenant's backlog never holds up another's.
 * Pure: imported by workflow code.
 */
export const fortnoxTaskQueue = (workflowTaskQueue: string, tenant: string): string => `${workflowTaskQueue}.fortnox.${tenant}`;
