/**
 * The per-tenant task queue of the Fortnox activities of transfers started before the five-step transfer
 * (workflows/legacy/): still served while such runs are open. New transfers use one task queue for every tenant,
 * each tenant under its own fairness key. Pure: imported by workflow code.
 */
export const fortnoxTaskQueue = (workflowTaskQueue: string, tenant: string): string => `${workflowTaskQueue}.fortnox.${tenant}`;
