// Writes schema/summa-invoice.v1.json, the v1 contract as JSON Schema for Summa's developers, from the zod schema
// that the hook enforces. `npm run schema` after changing src/summa/invoice-contract.ts; a test fails until then.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { projectRoot } from '../src/paths.js';
import { summaInvoiceSchema } from '../src/summa/invoice-contract.js';

export const summaInvoiceSchemaFile = path.join(projectRoot, 'schema', 'summa-invoice.v1.json');

/** The JSON Schema file's exact text. */
export function renderSummaInvoiceJsonSchema(): string {
  // io: 'input' describes what Summa may send (a default such as currency makes a field optional), not what we
  // hold after parsing.
  const { $schema, ...generated } = z.toJSONSchema(summaInvoiceSchema, { io: 'input' });
  const document = {
    $schema,
    title: 'Summa invoice, contract version 1',
    description: 'One invoice as Summa Kalkylsystem sends it to POST /hooks/summa/invoices (and, as invoices[], to POST /hooks/summa/exports).',
    $comment:
      'Generated from src/summa/invoice-contract.ts by `npm run schema`; do not edit. JSON Schema cannot express every rule the ' +
      'integration enforces. Also checked: dueDate is not before invoiceDate; project.endDate is not before project.startDate; ' +
      'money (rows[].unitPrice, totals.*) and rows[].quantity have at most two decimals; rows[].quantity is not zero; strings are trimmed before ' +
      'their length is checked. Invoices of an export must carry the export\'s tenant and distinct invoiceIds.',
    ...generated,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(summaInvoiceSchemaFile, renderSummaInvoiceJsonSchema());
  console.log(`Wrote ${path.relative(process.cwd(), summaInvoiceSchemaFile)}`);
}
