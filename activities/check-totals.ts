import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface CheckTotalsInput {
  tenant: string;
  invoiceId: string;
  documentNumber: string;
  /** Summa's figures. */
  expected: { net: number; vat: number; total: number };
  /** Fortnox's figures from the create call's answer; when absent (a retry), they are read from Fortnox. */
  created?: { net: number | undefined; vat: number | undefined; total: number | undefined } | undefined;
}

/** Öresavrundning: Fortnox rounds the total to whole kronor, so a total may differ by up to 50 öre. */
const ROUNDING = 0.5;
const ORE = 0.005;

/**
 * Compares Fortnox's net, VAT and total of the created invoice with Summa's. A difference beyond öresavrundning
 * stops the transfer with both figures; the invoice stays in Fortnox as created, unbooked, for a person to judge.
 */
export function checkTotals(deps: ActivityDeps) {
  return async ({ tenant, invoiceId, documentNumber, expected, created }: CheckTotalsInput): Promise<{ net: number; vat: number; total: number }> => {
    let figures = created;
    if (figures === undefined) {
      try {
        const invoice = await deps.fortnoxFor(tenant).invoices.get(documentNumber);
        figures = { net: invoice?.Net, vat: invoice?.TotalVAT, total: invoice?.Total };
      } catch (error) {
        throw fortnoxFailure(error, `faktura ${invoiceId}`);
      }
    }
    return compareTotals(documentNumber, expected, figures);
  };
}

/**
 * Fortnox's figures of a created invoice against Summa's: net and VAT to the öre, the total within öresavrundning.
 * A difference stops the transfer with both figures; the invoice stays in Fortnox as created, unbooked, for a
 * person to judge.
 */
export function compareTotals(
  documentNumber: string,
  expected: { net: number; vat: number; total: number },
  figures: { net: number | undefined; vat: number | undefined; total: number | undefined },
): { net: number; vat: number; total: number } {
  const actual = { net: figures.net ?? Number.NaN, vat: figures.vat ?? Number.NaN, total: figures.total ?? Number.NaN };
  // A figure Fortnox did not give cannot be checked: never taken for a match (NaN is never "more than an öre away").
  const missing = (['net', 'vat', 'total'] as const).filter((key) => !Number.isFinite(actual[key]));
  if (missing.length > 0) {
    throw needsAttention(
      `Fortnox gav inga belopp (${missing.map((key) => ({ net: 'netto', vat: 'moms', total: 'totalt' })[key]).join(', ')}) för faktura ${documentNumber}, så de kunde inte jämföras med Summas — kontrollera fakturan i Fortnox och tryck Försök igen.`,
      { actual, expected, documentNumber },
    );
  }
  const differs = [
    Math.abs(actual.net - expected.net) > ORE ? `netto ${format(actual.net)} mot ${format(expected.net)}` : undefined,
    Math.abs(actual.vat - expected.vat) > ORE ? `moms ${format(actual.vat)} mot ${format(expected.vat)}` : undefined,
    Math.abs(actual.total - expected.total) > ROUNDING + ORE ? `totalt ${format(actual.total)} mot ${format(expected.total)}` : undefined,
  ].filter((text) => text !== undefined);
  if (differs.length > 0) {
    throw needsAttention(
      `Beloppen i Fortnox faktura ${documentNumber} skiljer sig från Summas (Fortnox mot Summa: ${differs.join(', ')}). ` +
        'Fakturan är skapad i Fortnox men inte bokförd: rätta den i Fortnox och tryck Försök igen, eller makulera den i Fortnox och avbryt överföringen.',
      { actual, expected, documentNumber },
    );
  }
  return actual;
}

function format(amount: number): string {
  return amount.toLocaleString('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
