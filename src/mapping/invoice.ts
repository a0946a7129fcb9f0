import type { InvoiceRowWrite, InvoiceWrite } from '../fortnox/resources/invoices.js';
import type { SummaInvoice, SummaInvoiceRow } from '../summa/invoice-contract.js';
import { withoutUndefined } from './customer.js';

/** What the earlier steps settled, which the invoice refers to. */
export interface InvoiceLinks {
  customerNumber: string;
  /** Fortnox terms-of-payment code for `termsOfPaymentDays`. */
  termsOfPayment?: string | undefined;
  /** Fortnox number of the invoice a partial credit credits. */
  creditInvoiceReference?: string | undefined;
  /** Deduction rows for earlier a-conto invoices, already resolved to Fortnox numbers. */
  acontoRows?: InvoiceRowWrite[] | undefined;
  /** The `Unit` of the invoice's currency in the company's Fortnox register (how many units its rates are per); default 1. */
  currencyUnit?: number | undefined;
}

/**
 * The rate Fortnox is to use. Summa's `currencyRate` is SEK per one unit of the currency; Fortnox reads
 * `CurrencyRate` as SEK per `CurrencyUnit` units, and fills a left-out unit from its currency register, where the
 * Nordic crowns are commonly quoted per 100. So the rate is converted to the register's unit and sent with that
 * unit: the SEK value is Summa's whether Fortnox honours a given unit or always applies its register's. Without
 * Summa's rate, Fortnox's register rate and unit apply together and neither is sent.
 */
export function currencyFields(invoice: Pick<SummaInvoice, 'currencyRate'>, registerUnit = 1): Pick<InvoiceWrite, 'CurrencyRate' | 'CurrencyUnit'> {
  if (invoice.currencyRate === undefined) return {};
  // toPrecision(15) drops the binary noise of the product (0.98 × 100 is 98.00000000000001) and keeps Summa's digits.
  return { CurrencyRate: Number((invoice.currencyRate * registerUnit).toPrecision(15)), CurrencyUnit: registerUnit };
}

const swedishRegionNames = new Intl.DisplayNames(['sv'], { type: 'region' });

/**
 * The country's Swedish name, as Fortnox writes countries on documents: the invoice has no country-code field, only
 * `DeliveryCountry` (a string), and Fortnox derives a customer's `Country` from its code as the Swedish name ("SE" →
 * "Sverige", fortnox-api.md §4.1).
 */
export function countryName(code: string): string {
  return swedishRegionNames.of(code.toUpperCase()) ?? code;
}

/**
 * What a domestic reverse-charge invoice names as its ground (mervärdesskattelagen 2023:200: the buyer pays the VAT
 * for these supplies; the invoice must say "omvänd betalningsskyldighet"). Construction is the default, as it was
 * the only text before the ground could be sent.
 */
const reverseChargeGrounds: Record<NonNullable<SummaInvoice['reverseChargeGround']>, string> = {
  construction: 'byggtjänster',
  scrapMetal: 'metallskrot och metallavfall',
  emissionAllowances: 'utsläppsrätter',
  electronics: 'vissa elektroniska varor (mobiltelefoner, integrerade kretsar m.m.)',
  gold: 'guld',
};

/** Fortnox's limit on `Remarks` (`fortnox_InvoicePayload` in its OpenAPI). */
export const REMARKS_MAX = 1024;

/**
 * The text Swedish law requires on the invoice for the customer's VAT type (ML 2023:200 17 kap.: "omvänd
 * betalningsskyldighet" with the buyer's VAT number for reverse charge; a reference to the ground for an exemption).
 * An EU buyer's invoice depends on what is sold (`supplyType`, default goods: printed matter is goods): goods are an
 * exempt intra-Community supply (VAT directive 2006/112/EC art. 138), services the buyer's reverse charge (art. 196).
 */
export function legalVatText(
  customer: SummaInvoice['customer'],
  supplyType: SummaInvoice['supplyType'] = 'goods',
  reverseChargeGround: SummaInvoice['reverseChargeGround'] = 'construction',
): string | undefined {
  const vatNumber = customer.vatNumber?.replace(/\s/g, '').toUpperCase();
  switch (customer.vatType) {
    case 'SEREVERSEDVAT':
      return `Omvänd betalningsskyldighet för ${reverseChargeGrounds[reverseChargeGround]}. Köparens momsregistreringsnummer: ${vatNumber ?? ''}.`;
    case 'EUREVERSEDVAT':
      return supplyType === 'services'
        ? `Omvänd betalningsskyldighet / Reverse charge (art. 196, 2006/112/EG). Köparens momsregistreringsnummer: ${vatNumber ?? ''}.`
        : `Unionsintern leverans av varor, undantagen från moms / Exempt intra-Community supply of goods (art. 138, 2006/112/EG). Köparens momsregistreringsnummer: ${vatNumber ?? ''}.`;
    case 'EXPORT':
      return 'Momsfri export utanför EU (10 kap. ML 2023:200).';
    default:
      return undefined;
  }
}

/**
 * Summa's remarks with the legal text after them, within Fortnox's 1024 characters. The legal text is never cut:
 * the contract refuses remarks too long to leave room for it, and remarks accepted before that rule are shortened
 * here rather than the legal text.
 */
export function remarksWithLegalText(invoice: Pick<SummaInvoice, 'remarks' | 'customer' | 'supplyType' | 'reverseChargeGround'>): string | undefined {
  const legal = legalVatText(invoice.customer, invoice.supplyType, invoice.reverseChargeGround);
  if (legal === undefined) return invoice.remarks;
  if (invoice.remarks === undefined) return legal;
  const room = REMARKS_MAX - legal.length - 1;
  return room <= 0 ? legal : `${invoice.remarks.slice(0, room)}\n${legal}`;
}

/** The Fortnox invoice for a Summa invoice. */
export function toFortnoxInvoice(invoice: SummaInvoice, links: InvoiceLinks): InvoiceWrite {
  const delivery = invoice.deliveryAddress;
  const remarks = remarksWithLegalText(invoice);
  return withoutUndefined({
    CustomerNumber: links.customerNumber,
    InvoiceDate: invoice.invoiceDate,
    // An explicit due date wins; otherwise Fortnox derives it from the terms of payment.
    DueDate: invoice.dueDate,
    TermsOfPayment: invoice.dueDate === undefined ? links.termsOfPayment : undefined,
    Currency: invoice.currency,
    ...currencyFields(invoice, links.currencyUnit),
    YourReference: invoice.yourReference,
    OurReference: invoice.ourReference,
    YourOrderNumber: invoice.yourOrderNumber,
    Remarks: remarks,
    // The idempotency key: how a retry finds an invoice whose creation it could not confirm.
    ExternalInvoiceReference1: invoice.invoiceId,
    ExternalInvoiceReference2: invoice.orderNumber,
    CreditInvoiceReference: links.creditInvoiceReference,
    // Left out, these come from the customer card or the company's settings ("Omitted values in the payload will be
    // supplied by Predefined values", POST /3/invoices in Fortnox's OpenAPI): an invoice fee or freight would be
    // added, or Summa's prices read as including VAT. Summa's rows are the whole amount, excluding VAT.
    AdministrationFee: 0,
    Freight: 0,
    VATIncluded: false,
    CostCenter: invoice.costCentre?.code,
    Project: invoice.project?.number,
    DeliveryName: delivery?.name,
    DeliveryAddress1: delivery?.address1,
    DeliveryAddress2: delivery?.address2,
    DeliveryZipCode: delivery?.zipCode,
    DeliveryCity: delivery?.city,
    DeliveryCountry: delivery?.countryCode === undefined ? undefined : countryName(delivery.countryCode),
    DeliveryDate: invoice.deliveryDate,
    InvoiceRows: [...invoice.rows.flatMap(toFortnoxRows), ...(links.acontoRows ?? [])],
  });
}

/** Fortnox's limit on a row's Description (the response schema; fortnox-api.md §4.2). */
export const FORTNOX_ROW_TEXT_MAX = 255;
/** The longest row text Summa may send: eight Fortnox rows' worth. */
export const ROW_TEXT_MAX = 8 * FORTNOX_ROW_TEXT_MAX;

/**
 * A row text as Fortnox row descriptions of at most 255 characters each, in order: the first on the priced row, the
 * rest on text rows after it. Split at the last space within the limit (the row break stands for it), else after
 * the last comma or full stop, else at the limit; every other character is kept.
 */
export function rowTexts(text: string): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > FORTNOX_ROW_TEXT_MAX) {
    const window = rest.slice(0, FORTNOX_ROW_TEXT_MAX + 1);
    const space = window.lastIndexOf(' ');
    const punctuation = Math.max(window.lastIndexOf(','), window.lastIndexOf('.'));
    if (space > 0) {
      parts.push(rest.slice(0, space).trimEnd());
      rest = rest.slice(space + 1).trimStart();
    } else {
      const cut = punctuation >= 0 && punctuation < FORTNOX_ROW_TEXT_MAX ? punctuation + 1 : FORTNOX_ROW_TEXT_MAX;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  return [...parts, rest];
}

/**
 * A quantity as Fortnox's `DeliveredQuantity` string: plain decimal notation, never an exponent (`String(1e21)` is
 * "1e+21", `String(1e-7)` "1e-7", which Fortnox cannot read), at most two decimals (Fortnox rounds to two; the
 * contract refuses more), trailing zeros dropped: 1000 → "1000", 1.5 → "1.5", -0.25 → "-0.25".
 */
export function formatQuantity(quantity: number): string {
  if (!Number.isFinite(quantity)) throw new RangeError(`not a quantity: ${quantity}`);
  // Whole numbers exactly, however large (toFixed switches to exponent notation from 1e21).
  if (Number.isInteger(quantity)) return BigInt(quantity).toString();
  return quantity.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * Rows are booked by account, as Summa posts them. Summa's article numbers are Summa's own: Fortnox refuses an
 * ArticleNumber it does not have (2001302), and would replace the row's account and text with the article's,
 * so they are not sent. A text longer than a Fortnox row takes continues on text rows right after (`rowTexts`):
 * description only, with the row's account, VAT, cost centre and project so that Fortnox books nothing for them and
 * asks for nothing its predefined account would need; no quantity or price, so they add 0 kr.
 */
function toFortnoxRows(row: SummaInvoiceRow): InvoiceRowWrite[] {
  const [first = row.description, ...more] = rowTexts(row.description);
  const continuation = (text: string): InvoiceRowWrite =>
    withoutUndefined({ AccountNumber: row.account, Description: text, VAT: row.vatPercent, CostCenter: row.costCentre, Project: row.projectNumber });
  return [toFortnoxRow(row, first), ...more.map(continuation)];
}

function toFortnoxRow(row: SummaInvoiceRow, description: string): InvoiceRowWrite {
  return withoutUndefined({
    AccountNumber: row.account,
    Description: description,
    DeliveredQuantity: formatQuantity(row.quantity),
    Price: row.unitPrice,
    Discount: row.discountPercent,
    DiscountType: row.discountPercent === undefined ? undefined : ('PERCENT' as const),
    Unit: row.unit,
    VAT: row.vatPercent,
    CostCenter: row.costCentre,
    Project: row.projectNumber,
  });
}
