// Invoice arithmetic: row totals, VAT per rate, öresavrundning. Everything is computed in öre as bigints
// (see money.ts) and converted to numbers only in the result.
//
// Rules, with their sources in reference/fortnox-api.md §4.2:
// - Price and DeliveredQuantity are rounded to 2 decimals half-up before anything else.
// - A row's total is quantity × price less its discount (PERCENT of the row, the default, or an AMOUNT off the
//   row), rounded to öre.
// - VAT is computed per VAT rate on the summed row totals of that rate and rounded to öre (not per row).
// - Freight and administration fee carry their own VAT (FreightVAT, AdministrationFeeVAT) at the company's
//   rate, 25 % by default.
// - The sum is rounded to whole kronor and the difference is RoundOff: 1 × 100 at 25 % + freight 25 + fee 50
//   → Net 100, TotalVAT 43.75, 218.75 → Total 219, RoundOff 0.25 ([VCR-26] save_new_fully_populated.yml).
//   Only for SEK invoices: every source on öresavrundning is about kronor, and none shows Fortnox rounding a
//   foreign-currency total to whole units, so other currencies keep their cents and RoundOff 0.
// - Amounts are in the invoice's currency; the rate only converts them when the invoice is booked.
// - In that recording Net and Gross are both the row sum excluding VAT; Fortnox documents no difference
//   between them, so the sandbox returns the same value for both.
import { divideRoundHalfUp, fromScaled, toScaled } from './money.js';

export type DiscountType = 'AMOUNT' | 'PERCENT';

export interface TotalsRowInput {
  price: number;
  deliveredQuantity: number;
  discount: number;
  discountType: DiscountType;
  /** VAT rate in percent (25, 12, 6, 0). */
  vat: number;
}

export interface TotalsInput {
  rows: readonly TotalsRowInput[];
  freight: number;
  administrationFee: number;
  /** Whether prices (and freight and fee) include VAT. */
  vatIncluded: boolean;
  /** VAT rate on freight and administration fee, in percent. Default 25. */
  feeVatRate?: number;
  /** Whether the total is rounded to whole units (öresavrundning; SEK invoices). Default true. */
  roundToWholeUnits?: boolean;
}

export interface RowTotals {
  price: number;
  deliveredQuantity: number;
  priceExcludingVAT: number;
  total: number;
  totalExcludingVAT: number;
}

export interface InvoiceTotals {
  rows: RowTotals[];
  net: number;
  gross: number;
  freightVAT: number;
  administrationFeeVAT: number;
  totalVAT: number;
  /** Total incl. VAT, rounded to whole kronor unless `roundToWholeUnits` is false. */
  total: number;
  /** `total` minus the exact sum (öresavrundning); 0 without rounding. */
  roundOff: number;
}

const ORE = 2;

/** Computes every total Fortnox derives from an invoice's rows, freight and fee. */
export function computeInvoiceTotals(input: TotalsInput): InvoiceTotals {
  const feeRate = BigInt(input.feeVatRate ?? 25);
  const vatByRate = new Map<number, bigint>();
  const rows: RowTotals[] = [];
  let rowSum = 0n;

  for (const row of input.rows) {
    const priceOre = toScaled(row.price, ORE);
    const quantityHundredths = toScaled(row.deliveredQuantity, 2);
    const amount4 = priceOre * quantityHundredths; // in 1/10 000 kronor
    let totalOre: bigint;
    if (row.discountType === 'PERCENT') {
      const discountHundredths = toScaled(row.discount, 2); // 12.5 % → 1250
      totalOre = divideRoundHalfUp(amount4 * (10_000n - discountHundredths), 1_000_000n);
    } else {
      totalOre = divideRoundHalfUp(amount4, 100n) - toScaled(row.discount, ORE);
    }
    const rate = BigInt(row.vat);
    rowSum += totalOre;
    vatByRate.set(row.vat, (vatByRate.get(row.vat) ?? 0n) + totalOre);
    const excluding = (ore: bigint) => (input.vatIncluded ? divideRoundHalfUp(ore * 100n, 100n + rate) : ore);
    rows.push({
      price: fromScaled(priceOre, ORE),
      deliveredQuantity: fromScaled(quantityHundredths, 2),
      priceExcludingVAT: fromScaled(excluding(priceOre), ORE),
      total: fromScaled(totalOre, ORE),
      totalExcludingVAT: fromScaled(excluding(totalOre), ORE),
    });
  }

  let rowVat = 0n;
  for (const [rate, sum] of vatByRate) {
    const r = BigInt(rate);
    rowVat += input.vatIncluded ? divideRoundHalfUp(sum * r, 100n + r) : divideRoundHalfUp(sum * r, 100n);
  }
  const feeVat = (amount: number) => {
    const ore = toScaled(amount, ORE);
    return input.vatIncluded ? divideRoundHalfUp(ore * feeRate, 100n + feeRate) : divideRoundHalfUp(ore * feeRate, 100n);
  };
  const freightOre = toScaled(input.freight, ORE);
  const feeOre = toScaled(input.administrationFee, ORE);
  const freightVat = feeVat(input.freight);
  const administrationFeeVat = feeVat(input.administrationFee);
  const totalVat = rowVat + freightVat + administrationFeeVat;
  const net = input.vatIncluded ? rowSum - rowVat : rowSum;
  const exact = input.vatIncluded ? rowSum + freightOre + feeOre : rowSum + freightOre + feeOre + totalVat;
  const totalOre = input.roundToWholeUnits === false ? exact : divideRoundHalfUp(exact, 100n) * 100n;

  return {
    rows,
    net: fromScaled(net, ORE),
    gross: fromScaled(net, ORE),
    freightVAT: fromScaled(freightVat, ORE),
    administrationFeeVAT: fromScaled(administrationFeeVat, ORE),
    totalVAT: fromScaled(totalVat, ORE),
    total: fromScaled(totalOre, ORE),
    roundOff: fromScaled(totalOre - exact, ORE),
  };
}
