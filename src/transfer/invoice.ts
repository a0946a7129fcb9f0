import type { SummaInvoice } from '../summa/invoice-contract.js';

/** The cost centres an invoice uses: its default and every row's, each once, with a description to create it. */
export function costCentresOf(invoice: SummaInvoice): { code: string; description: string }[] {
  const byCode = new Map<string, string>();
  if (invoice.costCentre !== undefined) byCode.set(invoice.costCentre.code, invoice.costCentre.description);
  for (const row of invoice.rows) {
    // Summa sends only the code on a row; a centre first seen there is created under its code.
    if (row.costCentre !== undefined && !byCode.has(row.costCentre)) byCode.set(row.costCentre, row.costCentre);
  }
  return [...byCode].map(([code, description]) => ({ code, description }));
}
