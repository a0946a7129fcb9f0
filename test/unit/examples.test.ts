import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { fieldProblems, parseSummaInvoice, summaExportSchema } from '../../src/summa/invoice-contract.js';

const examplesDir = path.join(projectRoot, 'examples');
const files = readdirSync(examplesDir).filter((file) => file.endsWith('.json')).sort();

/** Every problem the contract finds in an example: an export when it has an exportId, else one invoice. */
function problemsOf(value: unknown) {
  if (typeof value === 'object' && value !== null && 'exportId' in value) {
    const result = summaExportSchema.safeParse(value);
    return result.success ? [] : fieldProblems(result.error);
  }
  const result = parseSummaInvoice(value);
  return result.ok ? [] : result.problems;
}

describe('examples/', () => {
  it('holds the example payloads Summa developers start from', () => {
    expect(files).toEqual(expect.arrayContaining(['export-small.json', 'invoice-simple.json']));
    expect(readdirSync(examplesDir).every((file) => file.endsWith('.json'))).toBe(true);
  });

  it.each(files)('%s follows the v1 contract', (file) => {
    const value: unknown = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8'));
    expect(problemsOf(value)).toEqual([]);
  });

  it('invoice-simple.json mixes 25 % brochure rows on 3001 with 6 % book rows on 3003, and its totals add up', () => {
    const parsed = parseSummaInvoice(JSON.parse(readFileSync(path.join(examplesDir, 'invoice-simple.json'), 'utf8')));
    if (!parsed.ok) throw new Error('invoice-simple.json does not parse');
    const { rows, totals } = parsed.invoice;
    expect(new Set(rows.map((row) => `${row.vatPercent}:${row.account}`))).toEqual(new Set(['25:3001', '6:3003']));
    const inOre = (value: number) => Math.round(value * 100);
    const rowNet = rows.map((row) => inOre(row.quantity * row.unitPrice * (1 - (row.discountPercent ?? 0) / 100)));
    const net = rowNet.reduce((sum, value) => sum + value, 0);
    const vat = rows.reduce((sum, row, index) => sum + Math.round((rowNet[index]! * row.vatPercent) / 100), 0);
    expect({ net, vat, total: net + vat }).toEqual({ net: inOre(totals!.net), vat: inOre(totals!.vat), total: inOre(totals!.total) });
  });
});
