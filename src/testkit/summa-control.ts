// A typed client for the Summa sandbox's control API (`/sandbox/...`): what Summa has been told, its faults.
import type { ReceivedUpdate, SandboxSnapshot, StatusFault } from '../sandbox/summa/state.js';

export type { ReceivedUpdate } from '../sandbox/summa/state.js';

export function summaControl(sandbox: { url: string } | string) {
  const base = typeof sandbox === 'string' ? sandbox : sandbox.url;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`Summa sandbox ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  };
  /** Every write-back received, and the latest per invoice (`<tenant>/<invoiceId>`). */
  const state = async (tenant?: string) => (await call('GET', `/state${tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`}`)) as SandboxSnapshot;
  return {
    state,
    /** The latest write-back per invoice, keyed `<tenant>/<invoiceId>`. */
    latest: async (tenant?: string): Promise<Record<string, ReceivedUpdate>> => (await state(tenant)).invoices,
    reset: () => call('POST', '/reset'),
    addFault: (fault: StatusFault) => call('POST', '/faults', fault),
    clearFaults: () => call('DELETE', '/faults'),
  };
}

export type SummaControl = ReturnType<typeof summaControl>;
