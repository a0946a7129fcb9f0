// /3/invoicepayments — customer payments of invoices ([SPEC] fortnox_InvoicePayment, fortnox_InvoicePaymentListItem;
// scope `payment`, separate from `invoice`: reference/fortnox-api.md §1.2). A payment lowers its invoice's Balance
// and may set its FinalPayDate (settlement.ts).
//
// Fields. The spec uses one schema for request and response; the writable ones are those softwerkab's SDK does not
// mark [ReadOnly] (FortnoxSDK/Entities/Invoice Payments/InvoicePayment.cs): Amount, AmountCurrency, CurrencyRate,
// InvoiceNumber (required), ModeOfPayment, ModeOfPaymentAccount, PaymentDate, WriteOffs. The rest is filled here:
// Number (a string, as the spec types it), Booked and the voucher fields, Source ("manual / direct" in the old docs,
// [STANDOUT] InvoicePaymentInvoicePayment.md; a payment made through the API is "manual"), Currency and CurrencyUnit
// from the invoice, and the invoice's customer, due date, OCR, references and total.
//
// Rules, and where each comes from:
// - The invoice must exist (400, 2000434, as for a credit reference) and not be cancelled.
// - The invoice must be booked: Nox Finans books an invoice before it registers a payment on it, "för att Nox
//   Finans skall kunna registrera en inbetalning på en kundfaktura så måste först fakturan vara bokförd"
//   (helpdesk.noxfinans.se article 167); softwerkab's live tests book the invoice first too. Code: the sandbox's.
// - PaymentDate defaults to today and may not precede the invoice date ("The payment date cannot precede the
//   invoice date", Junipeer FORTNOX_PAYMENT_DATE); booking it needs a financial year for the date.
// - Amounts: Amount is in SEK; AmountCurrency in the invoice's currency is "Required if Currency is other than
//   SEK" ([STANDOUT]). On a SEK invoice the two are the same amount, so AmountCurrency follows Amount. On a
//   foreign-currency invoice a missing Amount is AmountCurrency × CurrencyRate / CurrencyUnit, the rate being the
//   invoice's unless the payment gives its own.
// - Over-payment is accepted (settlement.ts). Write-offs settle the invoice with their amounts, in its currency.
// - ModeOfPaymentAccount defaults to the bank account 1930 and must be in the chart; ModeOfPayment is kept as
//   given: the sandbox has no register of modes of payment to check it against.
// - A booked payment cannot be changed or removed (the sandbox's rule, as for booked invoices). Bookkeeping makes
//   a voucher in series C ("Inbetalningar") of the payment date's financial year.
// - Every change to a payment is a change to its invoice, for the invoice list's `lastmodified`.
// - PUT …/bookkeep: the spec gives it the InvoicePayment wrapper as body, the old docs send none; either is taken
//   and the body is ignored.
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson } from '../fields.js';
import { integerParameter, listResponse } from '../listing.js';
import { requireFinancialYear } from '../lookups.js';
import { divideRoundHalfUp, fromScaled, toScaled } from '../money.js';
import { paymentVoucherSeries, predefinedPaymentAccount } from '../seed.js';
import { text, type Json, type Stored, type StoredInvoice, type TenantState, type WireObject } from '../state.js';
import { chartOf } from './accounts.js';
import { totalsOf } from './invoices.js';

const template: WireObject = {
  Amount: 0,
  AmountCurrency: 0,
  Booked: false,
  Currency: 'SEK',
  CurrencyRate: 1,
  CurrencyUnit: 1,
  InvoiceNumber: 0,
  ModeOfPayment: '',
  ModeOfPaymentAccount: predefinedPaymentAccount,
  Number: '',
  PaymentDate: '',
  Source: 'manual',
  VoucherNumber: null,
  VoucherSeries: null,
  VoucherYear: null,
  WriteOffs: [],
};

const writeOffTemplate: WireObject = { AccountNumber: 0, Amount: 0, CostCenter: '', Currency: '', Description: '', Project: '', TransactionInformation: '' };

const listKeys = ['@url', 'Amount', 'Booked', 'Currency', 'CurrencyRate', 'CurrencyUnit', 'InvoiceNumber', 'Number', 'PaymentDate', 'Source', 'WriteOffExist'] as const;

/** Fields handled here rather than copied as given. */
const handledFields = new Set(['InvoiceNumber', 'WriteOffs', 'Amount', 'AmountCurrency']);

const companyCurrency = 'SEK';

function invoiceOf(tenant: TenantState, payment: Stored): StoredInvoice | undefined {
  return tenant.invoices.get(text(payment.data, 'InvoiceNumber'));
}

/** The payment as a single GET answers it, with its invoice's fields. */
export function renderInvoicePayment(context: { baseUrl: string; tenant: TenantState }, payment: Stored): WireObject {
  const invoice = invoiceOf(context.tenant, payment);
  const fromInvoice = (key: string): Json => (invoice === undefined ? '' : (invoice.data[key] ?? ''));
  const unsorted: WireObject = {
    ...payment.data,
    '@url': `${context.baseUrl}/3/invoicepayments/${text(payment.data, 'Number')}`,
    ExternalInvoiceReference1: fromInvoice('ExternalInvoiceReference1'),
    ExternalInvoiceReference2: fromInvoice('ExternalInvoiceReference2'),
    InvoiceCustomerName: fromInvoice('CustomerName'),
    InvoiceCustomerNumber: fromInvoice('CustomerNumber'),
    InvoiceDueDate: fromInvoice('DueDate'),
    InvoiceOCR: fromInvoice('OCR'),
    // A string in the spec (fortnox_InvoicePayment.InvoiceTotal).
    InvoiceTotal: invoice === undefined ? '' : String(totalsOf(invoice).total),
  };
  return Object.fromEntries(Object.keys(unsorted).sort().map((key) => [key, unsorted[key] ?? null]));
}

function renderListItem(context: { baseUrl: string; tenant: TenantState }, payment: Stored): WireObject {
  const full = renderInvoicePayment(context, payment);
  const item: WireObject = {};
  for (const key of listKeys) item[key] = full[key] ?? null;
  item.WriteOffExist = Array.isArray(payment.data.WriteOffs) && payment.data.WriteOffs.length > 0;
  return item;
}

function requirePayment(tenant: TenantState, number: string): Stored {
  const payment = tenant.invoicePayments.get(number);
  if (payment === undefined) throw notFound(SandboxCode.paymentNotFound, 'Kan inte hitta inbetalningen.');
  return payment;
}

/** The invoice a payment is for, checked: it exists, is not cancelled and is booked. */
function requirePayableInvoice(tenant: TenantState, invoiceNumber: unknown): StoredInvoice {
  const invoice = typeof invoiceNumber === 'number' ? tenant.invoices.get(String(invoiceNumber)) : undefined;
  // 400 rather than 404: the invoice is a field of the request, not the resource addressed.
  if (invoice === undefined) throw invalid(FortnoxCode.invoiceNotFound, 'Kan inte hitta fakturan.');
  const documentNumber = text(invoice.data, 'DocumentNumber');
  if (invoice.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte betalas`);
  if (invoice.data.Booked !== true) {
    throw invalid(SandboxCode.invoiceNotBooked, `Faktura ${documentNumber} är inte bokförd: bokför fakturan innan en inbetalning registreras`);
  }
  return invoice;
}

function requireBookableAccount(tenant: TenantState, paymentDate: string, accountNumber: unknown, field: string): void {
  const yearId = Number(requireFinancialYear(tenant, paymentDate, 'PaymentDate').data.Id);
  const account = typeof accountNumber === 'number' ? chartOf(tenant, yearId).get(accountNumber) : undefined;
  if (account === undefined) throw invalid(FortnoxCode.accountNotFound, `Kunde inte hitta konto (${field} ${String(accountNumber)})`);
  if (account.data.Active !== true) throw invalid(SandboxCode.accountInactive, `Konto "${String(accountNumber)}" är inte aktivt`);
}

/**
 * Writes `input` onto the payment's fields and settles them against `invoice`: currency from the invoice, the
 * amounts (see the top of this module), the date and the accounts. `data` is changed only when everything holds.
 */
function settleFields(tenant: TenantState, invoice: StoredInvoice, data: WireObject, input: Record<string, unknown>, today: string): WireObject {
  const creating = data.Number === '';
  const next = copyJson(data);
  applyFields(next, input, template, handledFields);
  const currency = text(invoice.data, 'Currency');
  next.Currency = currency;
  next.CurrencyUnit = Number(invoice.data.CurrencyUnit ?? 1);
  const rateGiven = typeof input.CurrencyRate === 'number' && input.CurrencyRate > 0; // 0 is Fortnox's numeric blank
  if (currency === companyCurrency) next.CurrencyRate = 1;
  else if (!rateGiven) next.CurrencyRate = creating ? Number(invoice.data.CurrencyRate ?? 1) : (data.CurrencyRate ?? 1);
  if (text(next, 'PaymentDate') === '') next.PaymentDate = today;
  const paymentDate = text(next, 'PaymentDate');
  const invoiceDate = text(invoice.data, 'InvoiceDate');
  if (paymentDate < invoiceDate) throw invalid(SandboxCode.paymentBeforeInvoice, `Betaldatum ${paymentDate} är före fakturadatum ${invoiceDate}`);

  const amount = typeof input.Amount === 'number' ? input.Amount : undefined;
  const amountCurrency = typeof input.AmountCurrency === 'number' ? input.AmountCurrency : undefined;
  if (currency === companyCurrency) {
    const given = amount ?? amountCurrency;
    if (given === undefined && creating) throw invalid(SandboxCode.requiredField, 'Fältet Amount måste anges');
    if (given !== undefined) [next.Amount, next.AmountCurrency] = [given, given];
  } else {
    if (amountCurrency === undefined && creating) {
      throw invalid(SandboxCode.requiredField, `Fältet AmountCurrency måste anges för en faktura i ${currency}`);
    }
    if (amountCurrency !== undefined) next.AmountCurrency = amountCurrency;
    if (amount !== undefined) next.Amount = amount;
    else if (amountCurrency !== undefined || rateGiven) {
      const rate = toScaled(Number(next.CurrencyRate), 6);
      const unit = BigInt(Math.max(1, Math.round(Number(next.CurrencyUnit))));
      next.Amount = fromScaled(divideRoundHalfUp(toScaled(Number(next.AmountCurrency), 2) * rate, 1_000_000n * unit), 2);
    }
  }

  if (Array.isArray(input.WriteOffs)) {
    next.WriteOffs = (input.WriteOffs as Record<string, unknown>[]).map((writeOff) => {
      const row = copyJson(writeOffTemplate);
      applyFields(row, writeOff, writeOffTemplate);
      row.Currency = currency;
      return row;
    });
  }
  requireBookableAccount(tenant, paymentDate, next.ModeOfPaymentAccount, 'ModeOfPaymentAccount');
  for (const writeOff of next.WriteOffs as WireObject[]) requireBookableAccount(tenant, paymentDate, writeOff.AccountNumber, 'WriteOffs.AccountNumber');
  return next;
}

/** Registers a payment from a validated InvoicePayment object (a POST, or the control API's bank-file payment). */
export function createInvoicePayment(tenant: TenantState, input: Record<string, unknown>, now: number, today: string): Stored {
  const invoice = requirePayableInvoice(tenant, input.InvoiceNumber);
  const data = settleFields(tenant, invoice, copyJson(template), input, today);
  const number = String(tenant.counters.paymentNumber);
  tenant.counters.paymentNumber += 1;
  Object.assign(data, { InvoiceNumber: Number(invoice.data.DocumentNumber), Number: number });
  const payment = { data, modifiedAt: now };
  tenant.invoicePayments.set(number, payment);
  invoice.modifiedAt = now;
  return payment;
}

function requireChangeable(payment: Stored, action: string): void {
  if (payment.data.Booked === true) throw invalid(SandboxCode.paymentBooked, `Inbetalning ${text(payment.data, 'Number')} är bokförd och kan inte ${action}`);
}

/** Books a payment: a voucher in series C of the payment date's financial year. */
export function bookkeepInvoicePayment(tenant: TenantState, payment: Stored, now: number): void {
  if (payment.data.Booked === true) throw invalid(SandboxCode.paymentBooked, `Inbetalning ${text(payment.data, 'Number')} är redan bokförd`);
  const yearId = text(requireFinancialYear(tenant, text(payment.data, 'PaymentDate'), 'PaymentDate').data, 'Id');
  const voucherNumber = tenant.counters.paymentVoucherNumber[yearId] ?? 1;
  tenant.counters.paymentVoucherNumber[yearId] = voucherNumber + 1;
  Object.assign(payment.data, { Booked: true, VoucherNumber: voucherNumber, VoucherSeries: paymentVoucherSeries, VoucherYear: Number(yearId) });
  payment.modifiedAt = now;
  const invoice = invoiceOf(tenant, payment);
  if (invoice !== undefined) invoice.modifiedAt = now;
}

function update(context: ApiContext) {
  const { tenant } = context;
  const payment = requirePayment(tenant, context.params.Number ?? '');
  requireChangeable(payment, 'ändras');
  const invoiceNumber = context.body.InvoiceNumber;
  if (typeof invoiceNumber === 'number' && invoiceNumber !== payment.data.InvoiceNumber) {
    throw invalid(SandboxCode.numberCannotChange, `En inbetalning kan inte flyttas till en annan faktura (${text(payment.data, 'InvoiceNumber')} → ${invoiceNumber})`);
  }
  const invoice = requirePayableInvoice(tenant, payment.data.InvoiceNumber);
  payment.data = settleFields(tenant, invoice, payment.data, context.body, context.today);
  payment.modifiedAt = context.now;
  invoice.modifiedAt = context.now;
  return ok('InvoicePayment', renderInvoicePayment(context, payment));
}

function remove(context: ApiContext) {
  const { tenant } = context;
  const payment = requirePayment(tenant, context.params.Number ?? '');
  requireChangeable(payment, 'tas bort');
  tenant.invoicePayments.delete(text(payment.data, 'Number'));
  const invoice = invoiceOf(tenant, payment);
  if (invoice !== undefined) invoice.modifiedAt = context.now;
  return noContent;
}

function list(context: ApiContext) {
  const invoiceNumber = integerParameter(context, 'invoicenumber', 0);
  return listResponse<Stored>(context, {
    key: 'InvoicePayments',
    items: [...context.tenant.invoicePayments.values()].filter((payment) => invoiceNumber === undefined || payment.data.InvoiceNumber === invoiceNumber),
    sortBy: { number: (payment) => Number(payment.data.Number), paymentdate: (payment) => text(payment.data, 'PaymentDate') },
    lastModified: (payment) => payment.modifiedAt,
    render: (payment) => renderListItem(context, payment),
  });
}

function create(context: ApiContext) {
  const payment = createInvoicePayment(context.tenant, context.body, context.now, context.today);
  return created('InvoicePayment', renderInvoicePayment(context, payment), 'invoicepayments');
}

export const invoicePaymentRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/invoicepayments', scope: 'payment', handle: list },
  { method: 'POST', template: '/3/invoicepayments', scope: 'payment', handle: create },
  {
    method: 'GET',
    template: '/3/invoicepayments/{Number}',
    scope: 'payment',
    handle: (context) => ok('InvoicePayment', renderInvoicePayment(context, requirePayment(context.tenant, context.params.Number ?? ''))),
  },
  { method: 'PUT', template: '/3/invoicepayments/{Number}', scope: 'payment', handle: update },
  { method: 'DELETE', template: '/3/invoicepayments/{Number}', scope: 'payment', handle: remove },
  {
    method: 'PUT',
    template: '/3/invoicepayments/{Number}/bookkeep',
    scope: 'payment',
    bodyOptional: true,
    handle: (context) => {
      const payment = requirePayment(context.tenant, context.params.Number ?? '');
      bookkeepInvoicePayment(context.tenant, payment, context.now);
      return ok('InvoicePayment', renderInvoicePayment(context, payment));
    },
  },
];
