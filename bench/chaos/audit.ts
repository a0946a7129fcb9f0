// After the chaos: what Fortnox, Summa and Temporal hold, compared with what Summa sent. Every invoice must be in
// Fortnox exactly once with its number written back to Summa, or be waiting for a person with a message saying
// what to fix; nothing else is acceptable.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { SummaInvoice } from '../../src/summa/invoice-contract.js';
import { invoiceWorkflowId, type TransferService } from '../../src/transfer/index.js';
import { summaControl } from '../../src/testkit/summa-control.js';

type Entity = Record<string, string | number | boolean | null>;

interface FortnoxTenantState {
  invoices: Entity[];
  customers: Entity[];
  costCenters: Entity[];
  projects: Entity[];
}

export interface Audit {
  /** Invoices Summa sent. */
  sent: number;
  /** In Fortnox exactly once, with the same number written back to Summa. */
  transferred: number;
  /** Waiting for a person, each with the message the operator sees. */
  needsAttention: { invoice: string; workflowId: string; message: string }[];
  /** Summa invoices in Fortnox more than once. */
  duplicates: { invoice: string; fortnoxNumbers: string[] }[];
  /** Summa invoices neither in Fortnox nor waiting for a person. */
  lost: string[];
  /** In Fortnox, but Summa was not told the number, or was told another one. */
  writeBackWrong: { invoice: string; fortnox: string; summa: string | undefined }[];
  /** Fortnox invoices no Summa invoice asked for. */
  strayFortnoxInvoices: string[];
  /** Customers, cost centres and projects that exist twice under one name (or not at all). */
  duplicateCustomers: string[];
  duplicateCostCentres: string[];
  duplicateProjects: string[];
  missingRegisterEntries: string[];
  /** Workflows still running without waiting for a person, or ended failed, terminated or timed out. */
  unfinishedWorkflows: { workflowId: string; status: string; message: string | undefined }[];
}

/** The `key` values that occur more than once among `entities`, as `<tenant>: <value>`. */
function repeated(tenant: string, entities: readonly Entity[], key: string): string[] {
  const counts = new Map<string, number>();
  for (const entity of entities) counts.set(String(entity[key]), (counts.get(String(entity[key])) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([value, count]) => `${tenant}: ${value} ×${count}`);
}

async function fortnoxState(fortnoxUrl: string, tenantId: string): Promise<FortnoxTenantState> {
  const response = await fetch(`${fortnoxUrl}/sandbox/state?tenant=${tenantId}`);
  if (!response.ok) throw new Error(`Fortnox sandbox /sandbox/state answered ${response.status}`);
  return (await response.json()) as FortnoxTenantState;
}

async function listWorkflows(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list({ query })) found.push(execution);
  return found;
}

export async function audit(options: {
  invoices: readonly SummaInvoice[];
  /** Summa tenant key → Fortnox TenantId. */
  tenants: Record<string, string>;
  fortnoxUrl: string;
  summaUrl: string;
  client: Client;
  service: TransferService;
  taskQueue: string;
}): Promise<Audit> {
  const result: Audit = {
    sent: options.invoices.length,
    transferred: 0,
    needsAttention: [],
    duplicates: [],
    lost: [],
    writeBackWrong: [],
    strayFortnoxInvoices: [],
    duplicateCustomers: [],
    duplicateCostCentres: [],
    duplicateProjects: [],
    missingRegisterEntries: [],
    unfinishedWorkflows: [],
  };
  const summa = await summaControl(options.summaUrl).latest();
  for (const [tenant, tenantId] of Object.entries(options.tenants)) {
    const fortnox = await fortnoxState(options.fortnoxUrl, tenantId);
    const mine = options.invoices.filter((invoice) => invoice.tenant === tenant);
    const numbersByReference = new Map<string, string[]>();
    for (const invoice of fortnox.invoices) {
      const reference = String(invoice.ExternalInvoiceReference1 ?? '');
      numbersByReference.set(reference, [...(numbersByReference.get(reference) ?? []), String(invoice.DocumentNumber)]);
    }
    const sentIds = new Set(mine.map((invoice) => invoice.invoiceId));
    for (const [reference, numbers] of numbersByReference) {
      if (!sentIds.has(reference)) result.strayFortnoxInvoices.push(...numbers.map((number) => `${tenant}: ${number} (${reference})`));
    }
    for (const invoice of mine) {
      const name = `${tenant}/${invoice.invoiceId}`;
      const numbers = numbersByReference.get(invoice.invoiceId) ?? [];
      const writeBack = summa[name];
      if (numbers.length > 1) result.duplicates.push({ invoice: name, fortnoxNumbers: numbers });
      const [number] = numbers;
      if (numbers.length === 1 && number !== undefined && writeBack?.status === 'transferred' && writeBack.fortnoxInvoiceNumber === number) {
        result.transferred += 1;
      } else if (numbers.length <= 1) {
        const view = await options.service.status(tenant, invoice.invoiceId);
        if (view?.status === 'NeedsAttention' && view.message !== undefined) result.needsAttention.push({ invoice: name, workflowId: invoiceWorkflowId(tenant, invoice.invoiceId), message: view.message });
        else if (number === undefined) result.lost.push(name);
        else result.writeBackWrong.push({ invoice: name, fortnox: number, summa: writeBack?.fortnoxInvoiceNumber });
      }
    }
    result.duplicateCustomers.push(...repeated(tenant, fortnox.customers, 'Name'));
    result.duplicateCostCentres.push(...repeated(tenant, fortnox.costCenters, 'Description'));
    result.duplicateProjects.push(...repeated(tenant, fortnox.projects, 'Description'));
    const present = (entities: readonly Entity[], key: string) => new Set(entities.map((entity) => String(entity[key])));
    const customers = present(fortnox.customers, 'CustomerNumber');
    const projects = present(fortnox.projects, 'ProjectNumber');
    const costCentres = present(fortnox.costCenters, 'Code');
    for (const invoice of mine.filter((each) => (numbersByReference.get(each.invoiceId) ?? []).length > 0)) {
      const customerNumber = invoice.customer.customerNumber;
      if (customerNumber !== undefined && !customers.has(customerNumber)) result.missingRegisterEntries.push(`${tenant}: customer ${customerNumber}`);
      if (invoice.project !== undefined && !projects.has(invoice.project.number)) result.missingRegisterEntries.push(`${tenant}: project ${invoice.project.number}`);
      if (invoice.costCentre !== undefined && !costCentres.has(invoice.costCentre.code)) result.missingRegisterEntries.push(`${tenant}: cost centre ${invoice.costCentre.code}`);
    }
  }
  result.missingRegisterEntries = [...new Set(result.missingRegisterEntries)];

  const waiting = new Set(result.needsAttention.map((entry) => entry.workflowId));
  // The Fortnox budget coordinator runs as long as the workers do: it is not a transfer that should have settled.
  const unfinished = await listWorkflows(
    options.client,
    `TaskQueue = '${options.taskQueue}' AND WorkflowType != 'fortnoxBudget' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`,
  );
  for (const execution of unfinished) {
    if (execution.status.name === 'RUNNING' && waiting.has(execution.workflowId)) continue;
    // A run that failed and was started again (Summa delivered the invoice anew) counts by its latest run.
    if (execution.status.name !== 'RUNNING' && (await options.client.workflow.getHandle(execution.workflowId).describe()).status.name === 'COMPLETED') continue;
    let message: string | undefined;
    if (execution.status.name !== 'RUNNING') {
      // The result, not the raw history: the failure's message is encrypted there.
      message = await options.client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .result()
        .then(
          () => undefined,
          (error: unknown) => (error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error)),
        );
    }
    result.unfinishedWorkflows.push({ workflowId: execution.workflowId, status: execution.status.name, message });
  }
  return result;
}

/** Whether the audit found nothing wrong (needs attention is not wrong: a person is told). */
export function auditPassed(result: Audit): boolean {
  return (
    result.duplicates.length === 0 &&
    result.lost.length === 0 &&
    result.writeBackWrong.length === 0 &&
    result.strayFortnoxInvoices.length === 0 &&
    result.duplicateCustomers.length === 0 &&
    result.duplicateCostCentres.length === 0 &&
    result.duplicateProjects.length === 0 &&
    result.missingRegisterEntries.length === 0 &&
    result.unfinishedWorkflows.length === 0
  );
}
