import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSummaInvoiceJsonSchema, summaInvoiceSchemaFile } from '../../scripts/export-summa-schema.js';

describe('schema/summa-invoice.v1.json', () => {
  it('is exactly what `npm run schema` generates from the zod contract (run it after changing the contract)', () => {
    expect(readFileSync(summaInvoiceSchemaFile, 'utf8')).toBe(renderSummaInvoiceJsonSchema());
  });

  it('describes the input Summa sends: strict objects, the required fields, and currency optional', () => {
    const schema = JSON.parse(renderSummaInvoiceJsonSchema()) as { additionalProperties: boolean; required: string[]; $comment: string };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['schemaVersion', 'tenant', 'invoiceId', 'orderNumber', 'invoiceDate', 'customer', 'rows']);
    expect(schema.$comment).toContain('dueDate is not before invoiceDate');
  });
});
