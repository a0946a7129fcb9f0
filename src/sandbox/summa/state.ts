import type { z } from 'zod';
import type { summaWriteBackSchema } from '../../summa/write-back.js';

export type ReceivedUpdate = z.output<typeof summaWriteBackSchema> & {
  /** When the sandbox accepted it (ISO 8601). */
  receivedAt: string;
};

export interface SandboxSnapshot {
  /** Every accepted update, oldest first. */
  updates: ReceivedUpdate[];
  /** The latest update per invoice, keyed `<tenant>/<invoiceId>`. */
  invoices: Record<string, ReceivedUpdate>;
}

/** Answers the next `count` write-backs with `status` instead of accepting them. */
export interface StatusFault {
  kind: 'status';
  status: number;
  count: number;
}

/** What the Summa sandbox has received, and the faults it is told to inject. In memory; reset between tests. */
export class SummaSandboxState {
  private updates: ReceivedUpdate[] = [];
  // A Map, not an object: keys come from requests.
  private latest = new Map<string, ReceivedUpdate>();
  private faults: StatusFault[] = [];

  record(update: ReceivedUpdate): void {
    this.updates.push(update);
    this.latest.set(`${update.tenant}/${update.invoiceId}`, update);
  }

  snapshot(tenant?: string): SandboxSnapshot {
    const mine = (update: ReceivedUpdate) => tenant === undefined || update.tenant === tenant;
    return {
      updates: this.updates.filter(mine),
      invoices: Object.fromEntries([...this.latest].filter(([, update]) => mine(update))),
    };
  }

  addFault(fault: StatusFault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The status to answer the current write-back with, if a fault is armed; uses up one of its count. */
  takeFault(): number | undefined {
    const fault = this.faults[0];
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.shift();
    return fault.status;
  }

  reset(): void {
    this.updates = [];
    this.latest.clear();
    this.faults = [];
  }
}
