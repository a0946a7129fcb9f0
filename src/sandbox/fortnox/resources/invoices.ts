// /3/invoices, its bookkeep/cancel/credit actions and its send actions — reference/fortnox-api.md §4.2.
//
// Response shape and defaults follow recorded creates ([VCR-26] save_new_fully_populated.yml,
// row_price_limit_round_up.yml): references as strings "0", Credit "false", DeliveredQuantity as a string,
// TermsOfPayment "30", EmailSubject "Faktura {no} bifogas", OutboundDate = InvoiceDate. The customer's name,
// addresses and terms are copied onto the invoice when it is created, as Fortnox does.
//
// Checks run before anything is stored, so a rejected create consumes no document number: Fortnox's series
// have no gaps, and a client that retries a rejected create must not see one either.
//
// Currency (domain.md §3.6): the invoice's Currency must be set up in the company (resources/currencies.ts).
// SEK is the company's own (CurrencyRate 1); another currency takes the register's SellRate and Unit unless the
// request gives CurrencyRate / CurrencyUnit. Amounts stay in the invoice's currency; öresavrundning applies to
// SEK invoices only (invoice-totals.ts).
//
// Rows (reference/fortnox-api.md §4.2, §6):
// - Price and DeliveredQuantity are rounded to 2 decimals half-up before anything else, and the row total is
//   computed from the rounded values (invoice-totals.ts; [VCR-26] row_price_limit_round_up.yml,
//   row_delivered_quantity_decimals_round_up.yml: 1.125 → 1.13).
// - A row with only a Description still gets the predefined sales account and its VAT: a user who sent one was
//   refused "Kostnadsställe måste anges för konto" for the default account's cost centre (softwerkab issue 158),
//   and a row with no account given was booked as 0 kr on 3001 (softwerkab issue 44). With no quantity and no
//   price it adds nothing to the totals. Rows with DeliveredQuantity 0 or Price 0 are ordinary rows of 0 kr.
// - AccountNumber 0, or "API_BLANK" (what Fortnox's support told that user), makes a text row without account:
//   it answers AccountNumber 0, VAT 0 unless given, VATCode "" (the last two are the sandbox's reading; no
//   recording shows such a row). The OpenAPI file limits AccountNumber to 1000–9999, so openapi.ts overrides it.
// - Description: at most 255 characters (the response schema; the payload schema sets no limit).
//
// Partial credit: a POST with CreditInvoiceReference naming an existing invoice creates a credit invoice with the
// rows as sent (negative quantities), Credit "true". The original is left as it is; only the full credit action
// (PUT …/credit) writes the reference back onto it.
import { created, ok, type ApiContext, type ApiRoute } from '../api.js';
import { addDays, isIsoDate } from '../dates.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { computeInvoiceTotals } from '../invoice-totals.js';
import { settle, settledAmount, type Settlement, type SettlingPayment } from '../settlement.js';
import { ilike, listResponse } from '../listing.js';
import { requireActiveCostCentre, requireCurrency, requireFinancialYear, requireProject, requireTermsOfPayment } from '../lookups.js';
import { roundHalfUp } from '../money.js';
import { ocrForDocumentNumber } from '../ocr.js';
import { invoiceVoucherSeries, predefinedSalesAccount, vatCodeOfRate, vatRateOfCode } from '../seed.js';
import {
  scalar,
  text,
  type Json,
  type SendKind,
  type Stored,
  type StoredInvoice,
  type StoredInvoiceRow,
  type TenantState,
  type WireObject,
} from '../state.js';
import { chartOf } from './accounts.js';

const headerTemplate: WireObject = {
  AccountingMethod: 'ACCRUAL',
  Address1: '',
  Address2: '',
  AdministrationFee: 0,
  Booked: false,
  Cancelled: false,
  City: '',
  Comments: '',
  ContractReference: '0',
  CostCenter: '',
  Country: '',
  Credit: 'false',
  CreditInvoiceReference: '0',
  Currency: 'SEK',
  CurrencyRate: 1,
  CurrencyUnit: 1,
  CustomerName: '',
  CustomerNumber: '',
  DeliveryAddress1: '',
  DeliveryAddress2: '',
  DeliveryCity: '',
  DeliveryCountry: '',
  DeliveryDate: null,
  DeliveryName: '',
  DeliveryZipCode: '',
  DocumentNumber: '',
  DueDate: '',
  EDIInformation: {
    EDIGlobalLocationNumber: null,
    EDIGlobalLocationNumberDelivery: null,
    EDIInvoiceExtra1: null,
    EDIInvoiceExtra2: null,
    EDIOurElectronicReference: null,
    EDIYourElectronicReference: null,
    EDIStatus: '',
  },
  EUQuarterlyReport: false,
  EmailInformation: {
    EmailAddressFrom: null,
    EmailAddressTo: '',
    EmailAddressCC: null,
    EmailAddressBCC: null,
    EmailSubject: 'Faktura {no} bifogas',
    EmailBody: ' ',
  },
  ExternalInvoiceReference1: '',
  ExternalInvoiceReference2: '',
  FinalPayDate: null,
  Freight: 0,
  InvoiceDate: '',
  InvoicePeriodEnd: '',
  InvoicePeriodStart: '',
  InvoiceReference: '0',
  InvoiceType: 'INVOICE',
  Labels: [],
  Language: 'SV',
  LastRemindDate: null,
  NotCompleted: false,
  NoxFinans: false,
  OCR: '',
  OfferReference: '0',
  OrderReference: '0',
  OrganisationNumber: '',
  OurReference: '',
  OutboundDate: '',
  PaymentWay: '',
  Phone1: '',
  Phone2: '',
  PriceList: 'A',
  PrintTemplate: 'st',
  Project: '',
  Remarks: '',
  Reminders: 0,
  Sent: false,
  TaxReduction: null,
  TaxReductionType: 'none',
  TermsOfDelivery: '',
  TermsOfPayment: '',
  TimeBasisReference: null,
  VATIncluded: false,
  VoucherNumber: null,
  VoucherSeries: null,
  VoucherYear: null,
  WarehouseReady: false,
  WayOfDelivery: '',
  YourOrderNumber: '',
  YourReference: '',
  ZipCode: '',
};

/**
 * Fields handled by this module rather than copied as given. CreditInvoiceReference is read on create only: a
 * PUT cannot turn an invoice into a credit invoice or move its reference (the sandbox's choice; Fortnox
 * documents neither).
 */
const handledFields = new Set(['InvoiceRows', 'DocumentNumber', 'CustomerNumber', 'TermsOfPayment', 'CreditInvoiceReference']);

/** The company's own currency: rate 1, öresavrundning. */
const companyCurrency = 'SEK';

/** Customer field → invoice field, copied when the invoice is created or changes customer. */
const fromCustomer: readonly [string, string][] = [
  ['Name', 'CustomerName'],
  ['Address1', 'Address1'],
  ['Address2', 'Address2'],
  ['ZipCode', 'ZipCode'],
  ['City', 'City'],
  ['Country', 'Country'],
  ['Phone1', 'Phone1'],
  ['Phone2', 'Phone2'],
  ['OrganisationNumber', 'OrganisationNumber'],
  ['YourReference', 'YourReference'],
  ['OurReference', 'OurReference'],
  ['Currency', 'Currency'],
  ['PriceList', 'PriceList'],
  ['DeliveryName', 'DeliveryName'],
  ['DeliveryAddress1', 'DeliveryAddress1'],
  ['DeliveryAddress2', 'DeliveryAddress2'],
  ['DeliveryZipCode', 'DeliveryZipCode'],
  ['DeliveryCity', 'DeliveryCity'],
  ['DeliveryCountry', 'DeliveryCountry'],
  ['WayOfDelivery', 'WayOfDelivery'],
  ['TermsOfDelivery', 'TermsOfDelivery'],
];

const listKeys = [
  '@url',
  'Balance',
  'Booked',
  'Cancelled',
  'CostCenter',
  'Currency',
  'CurrencyRate',
  'CurrencyUnit',
  'CustomerName',
  'CustomerNumber',
  'DocumentNumber',
  'DueDate',
  'ExternalInvoiceReference1',
  'ExternalInvoiceReference2',
  'InvoiceDate',
  'InvoiceType',
  'NoxFinans',
  'OCR',
  'VoucherNumber',
  'VoucherSeries',
  'VoucherYear',
  'WayOfDelivery',
  'TermsOfPayment',
  'Project',
  'Sent',
  'Total',
  'FinalPayDate',
] as const;

export function requireInvoice(tenant: TenantState, documentNumber: string): StoredInvoice {
  const invoice = tenant.invoices.get(documentNumber);
  if (invoice === undefined) throw notFound(FortnoxCode.invoiceNotFound, 'Kan inte hitta fakturan.');
  return invoice;
}

function requireCustomerForInvoice(tenant: TenantState, customerNumber: string): Stored {
  const customer = tenant.customers.get(customerNumber);
  // Fortnox's status and code for an unknown customer on a document are unconfirmed (§8 question 3); the sandbox
  // answers 400 with the customer not-found code and message, which a third-party code table also pairs.
  if (customer === undefined) throw invalid(FortnoxCode.customerNotFound, 'Kan inte hitta kunden.');
  return customer;
}

/** The invoice's totals (invoice-totals.ts). */
export function totalsOf(invoice: StoredInvoice) {
  return computeInvoiceTotals({
    rows: invoice.rows.map((row) => ({ price: row.Price, deliveredQuantity: row.DeliveredQuantity, discount: row.Discount, discountType: row.DiscountType, vat: row.VAT })),
    freight: Number(invoice.data.Freight ?? 0),
    administrationFee: Number(invoice.data.AdministrationFee ?? 0),
    vatIncluded: invoice.data.VATIncluded === true,
    roundToWholeUnits: text(invoice.data, 'Currency') === companyCurrency,
  });
}

/** How the invoice's payments settle it: Balance and FinalPayDate (settlement.ts). */
export function settlementOf(tenant: TenantState, invoice: StoredInvoice, total: number = totalsOf(invoice).total): Settlement {
  const documentNumber = Number(invoice.data.DocumentNumber);
  const payments: SettlingPayment[] = [];
  for (const payment of tenant.invoicePayments.values()) {
    if (payment.data.InvoiceNumber !== documentNumber) continue;
    payments.push({ amount: settledAmount(payment.data), paymentDate: text(payment.data, 'PaymentDate'), number: Number(payment.data.Number) });
  }
  return settle(total, payments);
}

/** The invoice as a single GET answers it: header, computed totals and balance, rows. */
export function renderInvoice(context: { baseUrl: string; tenant: TenantState }, invoice: StoredInvoice): WireObject {
  const documentNumber = text(invoice.data, 'DocumentNumber');
  const totals = totalsOf(invoice);
  const settlement = settlementOf(context.tenant, invoice, totals.total);
  const contribution = (value: number) => (value === 0 ? 0 : 100);
  const rows: Json[] = invoice.rows.map((row, index) => {
    const rowTotals = totals.rows[index];
    const total = rowTotals?.total ?? 0;
    return {
      AccountNumber: row.AccountNumber,
      ArticleNumber: row.ArticleNumber,
      ContributionPercent: String(contribution(total)),
      ContributionValue: String(total),
      Cost: 0,
      CostCenter: row.CostCenter,
      DeliveredQuantity: String(rowTotals?.deliveredQuantity ?? row.DeliveredQuantity),
      Description: row.Description,
      Discount: row.Discount,
      DiscountType: row.DiscountType,
      HouseWork: row.HouseWork,
      HouseWorkHoursToReport: row.HouseWorkHoursToReport,
      HouseWorkType: row.HouseWorkType,
      Price: rowTotals?.price ?? row.Price,
      PriceExcludingVAT: rowTotals?.priceExcludingVAT ?? row.Price,
      Project: row.Project,
      RowId: row.RowId,
      StockPointCode: row.StockPointCode,
      Total: total,
      TotalExcludingVAT: rowTotals?.totalExcludingVAT ?? total,
      Unit: row.Unit,
      VAT: row.VAT,
      VATCode: row.VATCode,
    };
  });
  const unsorted: WireObject = {
    ...invoice.data,
    '@url': `${context.baseUrl}/3/invoices/${documentNumber}`,
    '@urlTaxReductionList': `${context.baseUrl}/3/taxreductions?filter=invoices&referencenumber=${documentNumber}`,
    AdministrationFeeVAT: totals.administrationFeeVAT,
    Balance: settlement.balance,
    BasisTaxReduction: 0,
    ContributionPercent: contribution(totals.net),
    ContributionValue: totals.net,
    FinalPayDate: settlement.finalPayDate,
    FreightVAT: totals.freightVAT,
    Gross: totals.gross,
    HouseWork: invoice.rows.some((row) => row.HouseWork),
    InvoiceRows: rows,
    Net: totals.net,
    RoundOff: totals.roundOff,
    Total: totals.total,
    TotalToPay: totals.total,
    TotalVAT: totals.totalVAT,
  };
  // Fortnox writes the fields in alphabetical order, @url first.
  return Object.fromEntries(Object.keys(unsorted).sort().map((key) => [key, unsorted[key] ?? null]));
}

/** A list item ([VCR-23] invoices/all.yml): CurrencyRate as a string, unset voucher fields null. */
function renderListItem(context: { baseUrl: string; tenant: TenantState }, invoice: StoredInvoice): WireObject {
  const full = renderInvoice(context, invoice);
  const item: WireObject = {};
  for (const key of listKeys) item[key] = full[key] ?? null;
  item.CurrencyRate = text(full, 'CurrencyRate');
  return item;
}

const emptyRow: Omit<StoredInvoiceRow, 'RowId'> = {
  AccountNumber: predefinedSalesAccount,
  ArticleNumber: '',
  CostCenter: '',
  DeliveredQuantity: 0,
  Description: '',
  Discount: 0,
  DiscountType: 'PERCENT',
  HouseWork: false,
  HouseWorkHoursToReport: null,
  HouseWorkType: null,
  Price: 0,
  Project: '',
  StockPointCode: null,
  Unit: '',
  VAT: 25,
  VATCode: 'MP1',
};

type RowDraft = Omit<StoredInvoiceRow, 'RowId'>;

function withoutRowId(row: StoredInvoiceRow): RowDraft {
  const draft: Partial<StoredInvoiceRow> = { ...row };
  delete draft.RowId;
  return draft as RowDraft;
}

/**
 * A row from its request fields on top of `base` (an existing row on PUT), checked against the chart of the
 * invoice date's financial year. Checks in Fortnox's order of concern: account, cost centre, project, VAT.
 */
function buildRow(tenant: TenantState, yearId: number, invoiceCostCentre: string, base: RowDraft | undefined, input: Record<string, unknown>, index: number): RowDraft {
  const row: RowDraft = { ...(base ?? emptyRow) };
  const given = (key: string) => (Object.hasOwn(input, key) && input[key] !== '' ? input[key] : undefined);

  const articleNumber = given('ArticleNumber');
  if (typeof articleNumber === 'string' && articleNumber !== 'API_BLANK') {
    throw invalid(FortnoxCode.articleNotFound, `Kunde inte hitta artikel (${articleNumber})`);
  }
  const accountNumber = given('AccountNumber');
  if (typeof accountNumber === 'number') row.AccountNumber = accountNumber;
  else if (accountNumber === 'API_BLANK') row.AccountNumber = 0;
  for (const key of ['CostCenter', 'Project', 'Description', 'Unit', 'StockPointCode', 'HouseWorkType'] as const) {
    const value = given(key);
    if (typeof value === 'string') (row as Record<string, unknown>)[key] = value === 'API_BLANK' ? '' : value;
  }
  for (const key of ['Price', 'DeliveredQuantity', 'Discount', 'HouseWorkHoursToReport'] as const) {
    const value = given(key);
    if (typeof value === 'number') (row as Record<string, unknown>)[key] = value;
  }
  const discountType = given('DiscountType');
  if (discountType === 'AMOUNT' || discountType === 'PERCENT') row.DiscountType = discountType;
  const houseWork = given('HouseWork');
  if (typeof houseWork === 'boolean') row.HouseWork = houseWork;
  // Fortnox rounds both to 2 decimals half-up (1.125 → 1.13, [VCR-26] row_*_round_up.yml).
  row.Price = roundHalfUp(row.Price, 2);
  row.DeliveredQuantity = roundHalfUp(row.DeliveredQuantity, 2);

  const checkCodes = () => {
    if (row.CostCenter !== '') requireActiveCostCentre(tenant, row.CostCenter);
    if (row.Project !== '') requireProject(tenant, row.Project);
    if (row.Unit !== '' && !tenant.units.has(row.Unit)) throw invalid(FortnoxCode.unitNotFound, `Kan inte hitta enheten "${row.Unit}"`);
  };
  const vat = given('VAT');

  if (row.AccountNumber === 0) {
    // A text row without account (see the top of this module). The sandbox's rule: it may not carry an amount,
    // because nothing could be booked for it; Fortnox answers a missing account with 2001304 (errors page, FAQ).
    if (row.Price !== 0 && row.DeliveredQuantity !== 0) {
      throw invalid(FortnoxCode.accountNotFound, `Kunde inte hitta konto (rad ${index + 1} har ett belopp men konto 0)`);
    }
    checkCodes();
    row.VAT = typeof vat === 'number' ? vat : 0;
    if (!tenant.vatRates.has(row.VAT)) throw invalid(SandboxCode.vatRateNotFound, `Kunde inte hämta/hitta moms (${row.VAT} %)`);
    row.VATCode = '';
    return row;
  }

  const account = chartOf(tenant, yearId).get(row.AccountNumber);
  if (account === undefined) throw invalid(FortnoxCode.accountNotFound, `Kunde inte hitta konto (${row.AccountNumber})`);
  if (account.data.Active !== true) throw invalid(SandboxCode.accountInactive, `Konto "${row.AccountNumber}" är inte aktivt`);
  const costCentre = row.CostCenter !== '' ? row.CostCenter : invoiceCostCentre;
  if (account.data.CostCenterSettings === 'MANDATORY' && costCentre === '') {
    throw invalid(FortnoxCode.costCentreRequired, `Konto ${row.AccountNumber} kräver kostnadsställe (rad ${index + 1})`);
  }
  checkCodes();

  const accountVatCode = typeof account.data.VATCode === 'string' ? account.data.VATCode : '';
  if (typeof vat === 'number') row.VAT = vat;
  else if (base === undefined || typeof accountNumber === 'number') row.VAT = vatRateOfCode[accountVatCode] ?? 25;
  if (!tenant.vatRates.has(row.VAT)) throw invalid(SandboxCode.vatRateNotFound, `Kunde inte hämta/hitta moms (${row.VAT} %)`);
  const vatCode = given('VATCode');
  if (typeof vatCode === 'string' && vatCode !== 'API_BLANK') {
    if (!Object.hasOwn(vatRateOfCode, vatCode)) throw invalid(SandboxCode.invalidVatCode, `Ogiltig momskod (${vatCode})`);
    row.VATCode = vatCode;
  } else {
    row.VATCode = row.VAT === 0 && vatRateOfCode[accountVatCode] === 0 ? accountVatCode : (vatCodeOfRate[row.VAT] ?? '');
  }
  if (row.DiscountType === 'PERCENT' && row.Discount > 100) throw invalid(SandboxCode.invalidDiscount, 'Ogiltig rabatt. Får inte överstiga 100 %');
  return row;
}

function inputRows(body: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const rows = body.InvoiceRows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : undefined;
}

function withRowIds(tenant: TenantState, drafts: RowDraft[]): StoredInvoiceRow[] {
  return drafts.map((draft) => {
    const row = { ...draft, RowId: tenant.counters.rowId };
    tenant.counters.rowId += 1;
    return row;
  });
}

function copyCustomer(header: WireObject, customer: Stored): void {
  for (const [from, to] of fromCustomer) header[to] = customer.data[from] ?? '';
  const email = text(customer.data, 'EmailInvoice') || text(customer.data, 'Email');
  const emailInformation = header.EmailInformation as WireObject;
  emailInformation.EmailAddressTo = email;
}

/** A customer's fee or freight: a number other than 0 when the customer card sets one (0 and null are Fortnox's blank). */
function customerAmount(customer: Stored, key: string): number | undefined {
  const value = customer.data[key];
  const amount = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(amount) && amount !== 0 ? amount : undefined;
}

/**
 * Fields a create leaves out are filled from the customer card, else from the company's invoice settings
 * ("Omitted values … will be supplied by Predefined values … Predefined values will always be overwritten by values
 * provided through the API", [APIDOCS] POST /3/invoices). Given means given: an explicit 0 or false wins.
 * - AdministrationFee: the customer's InvoiceAdministrationFee, else the company's fee.
 * - Freight: the customer's InvoiceFreight, else the company's freight.
 * - VATIncluded: true when the customer's ShowPriceVATIncluded is, else the company's default. The customer's flag
 *   is a plain boolean that defaults to false ([VCR-23] customers/save_new.yml), so an unticked box cannot be told
 *   from one never set; the sandbox reads false as "not set". No source shows how Fortnox combines the two.
 */
function applyPredefinedValues(tenant: TenantState, header: WireObject, body: Record<string, unknown>, customer: Stored): void {
  const settings = tenant.invoiceSettings;
  if (typeof body.AdministrationFee !== 'number') header.AdministrationFee = customerAmount(customer, 'InvoiceAdministrationFee') ?? settings.administrationFee;
  if (typeof body.Freight !== 'number') header.Freight = customerAmount(customer, 'InvoiceFreight') ?? settings.freight;
  if (typeof body.VATIncluded !== 'boolean') header.VATIncluded = customer.data.ShowPriceVATIncluded === true || settings.vatIncluded;
}

function nextDocumentNumber(tenant: TenantState): string {
  while (tenant.invoices.has(String(tenant.counters.documentNumber))) tenant.counters.documentNumber += 1;
  const documentNumber = String(tenant.counters.documentNumber);
  tenant.counters.documentNumber += 1;
  return documentNumber;
}

/**
 * Checks the header's currency and settles its rate. `changed`: the currency is new (a create, or a PUT that
 * changes it), so a rate not given in `body` comes from the currency register.
 */
function settleCurrency(tenant: TenantState, header: WireObject, body: Record<string, unknown>, changed: boolean): void {
  const code = text(header, 'Currency').toUpperCase();
  const currency = requireCurrency(tenant, code);
  header.Currency = code;
  if (code === companyCurrency) {
    header.CurrencyRate = 1;
    header.CurrencyUnit = 1;
    return;
  }
  const given = (key: string) => typeof body[key] === 'number' && Number(body[key]) > 0; // 0 is Fortnox's numeric blank
  if (changed && !given('CurrencyRate')) header.CurrencyRate = Number(currency.data.SellRate);
  if (changed && !given('CurrencyUnit')) header.CurrencyUnit = Number(currency.data.Unit);
}

/** The invoice a partial credit invoice refers to, checked; see the top of this module. */
function requireCreditable(tenant: TenantState, documentNumber: string): StoredInvoice {
  const original = tenant.invoices.get(documentNumber);
  // 400 rather than 404: the referenced invoice is a field of the request, not the resource addressed.
  if (original === undefined) throw invalid(FortnoxCode.invoiceNotFound, 'Kan inte hitta fakturan.');
  if (original.data.Credit === 'true') throw invalid(SandboxCode.invoiceIsCredit, `Faktura ${documentNumber} är en kreditfaktura och kan inte krediteras`);
  if (original.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte krediteras`);
  return original;
}

/** The header checks shared by create and update; returns the financial year id of the invoice date. */
function checkHeader(tenant: TenantState, header: WireObject): number {
  const invoiceDate = text(header, 'InvoiceDate');
  const year = requireFinancialYear(tenant, invoiceDate, 'InvoiceDate');
  const costCentre = text(header, 'CostCenter');
  if (costCentre !== '') requireActiveCostCentre(tenant, costCentre);
  const project = text(header, 'Project');
  if (project !== '') requireProject(tenant, project);
  return Number(year.data.Id);
}

function create(context: ApiContext) {
  const { tenant, body } = context;
  const customer = requireCustomerForInvoice(tenant, givenString(body, 'CustomerNumber') ?? '');
  const requestedNumber = givenString(body, 'DocumentNumber');
  if (requestedNumber !== undefined && (!/^\d{1,9}$/.test(requestedNumber) || tenant.invoices.has(requestedNumber))) {
    throw invalid(SandboxCode.documentNumberTaken, `Dokumentnummer ${requestedNumber} är ogiltigt eller används redan`);
  }
  const creditReference = givenString(body, 'CreditInvoiceReference');
  const credits = creditReference !== undefined && creditReference !== '0' ? requireCreditable(tenant, creditReference) : undefined;
  const header = copyJson(headerTemplate);
  header.CustomerNumber = text(customer.data, 'CustomerNumber');
  copyCustomer(header, customer);
  header.TermsOfPayment = text(customer.data, 'TermsOfPayment') || '30';
  applyFields(header, body, headerTemplate, handledFields);
  applyPredefinedValues(tenant, header, body, customer);
  if (credits !== undefined) Object.assign(header, { Credit: 'true', CreditInvoiceReference: text(credits.data, 'DocumentNumber') });
  settleCurrency(tenant, header, body, true);
  if (text(header, 'InvoiceDate') === '') header.InvoiceDate = context.today;
  const terms = givenString(body, 'TermsOfPayment');
  if (terms !== undefined) header.TermsOfPayment = terms.toUpperCase();
  const days = requireTermsOfPayment(tenant, text(header, 'TermsOfPayment'));
  if (text(header, 'DueDate') === '') header.DueDate = addDays(text(header, 'InvoiceDate'), days);
  if (text(header, 'OutboundDate') === '') header.OutboundDate = text(header, 'InvoiceDate');
  const yearId = checkHeader(tenant, header);
  const drafts = (inputRows(body) ?? []).map((row, index) => buildRow(tenant, yearId, text(header, 'CostCenter'), undefined, row, index));

  const documentNumber = requestedNumber ?? nextDocumentNumber(tenant);
  header.DocumentNumber = documentNumber;
  if (text(header, 'OCR') === '') header.OCR = ocrForDocumentNumber(documentNumber);
  const invoice: StoredInvoice = { data: header, rows: withRowIds(tenant, drafts), modifiedAt: context.now };
  tenant.invoices.set(documentNumber, invoice);
  return created('Invoice', renderInvoice(context, invoice), 'invoices');
}

function requireEditable(invoice: StoredInvoice, action: string): void {
  const documentNumber = text(invoice.data, 'DocumentNumber');
  // Booked invoices cannot be edited, only credited (Junipeer, wetail); the code is the sandbox's (errors.ts).
  if (invoice.data.Booked === true) throw invalid(SandboxCode.invoiceBooked, `Faktura ${documentNumber} är bokförd och kan inte ${action}`);
  if (invoice.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte ${action}`);
}

function update(context: ApiContext) {
  const { tenant, body } = context;
  const invoice = requireInvoice(tenant, context.params.DocumentNumber ?? '');
  requireEditable(invoice, 'ändras');
  const header = copyJson(invoice.data);
  const customerNumber = givenString(body, 'CustomerNumber');
  if (customerNumber !== undefined && customerNumber !== header.CustomerNumber) {
    const customer = requireCustomerForInvoice(tenant, customerNumber);
    header.CustomerNumber = customerNumber;
    copyCustomer(header, customer);
  }
  const datesChanged = givenString(body, 'InvoiceDate') !== undefined || givenString(body, 'TermsOfPayment') !== undefined;
  const previousCurrency = text(header, 'Currency');
  applyFields(header, body, headerTemplate, handledFields);
  settleCurrency(tenant, header, body, text(header, 'Currency').toUpperCase() !== previousCurrency);
  const terms = givenString(body, 'TermsOfPayment');
  if (terms !== undefined) header.TermsOfPayment = terms.toUpperCase();
  const days = requireTermsOfPayment(tenant, text(header, 'TermsOfPayment'));
  if (datesChanged && givenString(body, 'DueDate') === undefined) header.DueDate = addDays(text(header, 'InvoiceDate'), days);
  const yearId = checkHeader(tenant, header);

  // Rows: a RowId that matches keeps and updates that row, a row without one is new, rows left out are removed;
  // without InvoiceRows the rows stay. Fortnox gives every row a new RowId on each update (§4.2).
  const given = inputRows(body);
  const existing = new Map(invoice.rows.map((row) => [row.RowId, row]));
  const drafts = (given ?? invoice.rows.map((row) => ({ RowId: row.RowId }))).map((row, index) => {
    const base = typeof row.RowId === 'number' ? existing.get(row.RowId) : undefined;
    return buildRow(tenant, yearId, text(header, 'CostCenter'), base === undefined ? undefined : withoutRowId(base), row, index);
  });

  invoice.data = header;
  invoice.rows = withRowIds(tenant, drafts);
  invoice.modifiedAt = context.now;
  return ok('Invoice', renderInvoice(context, invoice));
}

function bookkeep(context: ApiContext) {
  const invoice = requireInvoice(context.tenant, context.params.DocumentNumber ?? '');
  bookkeepInvoice(context.tenant, invoice, context.now);
  return ok('Invoice', renderInvoice(context, invoice));
}

/** Books the invoice: a voucher in series B of the invoice date's financial year. */
export function bookkeepInvoice(tenant: TenantState, invoice: StoredInvoice, now: number): void {
  const documentNumber = text(invoice.data, 'DocumentNumber');
  if (invoice.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte bokföras`);
  if (invoice.data.Booked === true) throw invalid(SandboxCode.invoiceBooked, `Faktura ${documentNumber} är redan bokförd`);
  const yearId = Number(requireFinancialYear(tenant, text(invoice.data, 'InvoiceDate'), 'InvoiceDate').data.Id);
  const voucherNumber = tenant.counters.voucherNumber[String(yearId)] ?? 1;
  tenant.counters.voucherNumber[String(yearId)] = voucherNumber + 1;
  Object.assign(invoice.data, { Booked: true, VoucherNumber: voucherNumber, VoucherSeries: invoiceVoucherSeries, VoucherYear: yearId });
  invoice.modifiedAt = now;
}

function cancel(context: ApiContext) {
  const invoice = requireInvoice(context.tenant, context.params.DocumentNumber ?? '');
  requireEditable(invoice, 'makuleras');
  invoice.data.Cancelled = true;
  invoice.modifiedAt = context.now;
  return ok('Invoice', renderInvoice(context, invoice));
}

/**
 * Creates a credit invoice for the whole invoice: a copy dated today with every quantity negated, Credit "true"
 * and CreditInvoiceReference pointing back. The original gets CreditInvoiceReference = the credit invoice and is
 * what the call answers ("The created credit invoice will be referenced in the property
 * CreditInvoiceReference", §4.2). One credit per invoice (Junipeer).
 */
function credit(context: ApiContext) {
  const { tenant } = context;
  const original = requireInvoice(tenant, context.params.DocumentNumber ?? '');
  const documentNumber = text(original.data, 'DocumentNumber');
  if (original.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte krediteras`);
  if (original.data.Credit === 'true') throw invalid(SandboxCode.invoiceIsCredit, `Faktura ${documentNumber} är en kreditfaktura och kan inte krediteras`);
  const existingCredit = text(original.data, 'CreditInvoiceReference');
  if (existingCredit !== '0' && existingCredit !== '') {
    throw invalid(SandboxCode.invoiceAlreadyCredited, `Faktura ${documentNumber} är redan krediterad (kreditfaktura ${existingCredit})`);
  }
  requireFinancialYear(tenant, context.today, 'InvoiceDate');
  const header = copyJson(original.data);
  const creditNumber = nextDocumentNumber(tenant);
  // The credit mirrors the whole original, fee and freight included, so that the two totals cancel out.
  Object.assign(header, {
    AdministrationFee: -Number(original.data.AdministrationFee ?? 0),
    Booked: false,
    Cancelled: false,
    Credit: 'true',
    CreditInvoiceReference: documentNumber,
    DocumentNumber: creditNumber,
    DueDate: context.today,
    Freight: -Number(original.data.Freight ?? 0),
    InvoiceDate: context.today,
    OCR: ocrForDocumentNumber(creditNumber),
    OutboundDate: context.today,
    LastRemindDate: null,
    Reminders: 0,
    Sent: false,
    VoucherNumber: null,
    VoucherSeries: null,
    VoucherYear: null,
  });
  const rows = withRowIds(
    tenant,
    original.rows.map((row) => ({ ...withoutRowId(row), DeliveredQuantity: -row.DeliveredQuantity })),
  );
  tenant.invoices.set(creditNumber, { data: header, rows, modifiedAt: context.now });
  original.data.CreditInvoiceReference = creditNumber;
  original.modifiedAt = context.now;
  return ok('Invoice', renderInvoice(context, original));
}

/** Where a send goes: the address for `kind`, or '' when there is none. */
function sendAddress(invoice: StoredInvoice, customer: Stored | undefined, kind: SendKind): string {
  const fromCustomer = (key: string) => (customer === undefined ? '' : text(customer.data, key));
  switch (kind) {
    case 'email': {
      const emailInformation = invoice.data.EmailInformation;
      const onInvoice = typeof emailInformation === 'object' && emailInformation !== null && !Array.isArray(emailInformation) ? text(emailInformation, 'EmailAddressTo') : '';
      return onInvoice || fromCustomer('EmailInvoice') || fromCustomer('Email');
    }
    case 'einvoice':
      return fromCustomer('OrganisationNumber');
    case 'eprint': {
      const city = [text(invoice.data, 'ZipCode'), text(invoice.data, 'City')].filter((part) => part !== '').join(' ');
      return [text(invoice.data, 'CustomerName'), text(invoice.data, 'Address1'), city].filter((part) => part !== '').join(', ');
    }
  }
}

/**
 * GET …/email, …/einvoice, …/eprint: Fortnox's state-changing GETs (reference/fortnox-api.md §6 item 12). Each
 * call sends the invoice, sets Sent and answers the invoice; a second call sends it again, as Fortnox has no guard,
 * and every send is recorded in the tenant's `sends` (GET /sandbox/state) so that tests can count them.
 * The sandbox's own rules, as Fortnox documents none: a cancelled invoice is not sent; e-mail needs an address
 * (EmailInformation.EmailAddressTo on the invoice, else the customer's EmailInvoice, else Email); an e-invoice
 * needs the customer's OrganisationNumber. An unbooked invoice may be sent: Fortnox's e-mail sending does not
 * require booking (only one third-party tool description says sending is done on booked invoices).
 */
function sendInvoice(kind: SendKind) {
  return (context: ApiContext) => {
    const { tenant } = context;
    const invoice = requireInvoice(tenant, context.params.DocumentNumber ?? '');
    const documentNumber = text(invoice.data, 'DocumentNumber');
    if (invoice.data.Cancelled === true) throw invalid(SandboxCode.invoiceCancelled, `Faktura ${documentNumber} är makulerad och kan inte skickas`);
    const customerNumber = text(invoice.data, 'CustomerNumber');
    const to = sendAddress(invoice, tenant.customers.get(customerNumber), kind);
    if (to === '' && kind === 'email') {
      throw invalid(
        SandboxCode.noEmailAddress,
        `Faktura ${documentNumber} kan inte skickas med e-post: ange EmailInformation.EmailAddressTo på fakturan eller e-post på kund ${customerNumber}`,
      );
    }
    if (to === '' && kind === 'einvoice') {
      throw invalid(SandboxCode.noOrganisationNumber, `Faktura ${documentNumber} kan inte skickas som e-faktura: kund ${customerNumber} saknar organisationsnummer`);
    }
    invoice.data.Sent = true;
    invoice.modifiedAt = context.now;
    tenant.sends.push({ documentNumber, kind, at: new Date(context.now).toISOString(), to });
    return ok('Invoice', renderInvoice(context, invoice));
  };
}

function list(context: ApiContext) {
  for (const name of ['fromdate', 'todate', 'fromfinalpaydate', 'tofinalpaydate']) {
    const value = context.query.get(name);
    if (value !== undefined && !isIsoDate(value)) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (${name}=${value})`);
  }
  type Item = { invoice: StoredInvoice; total: number } & Settlement;
  const items: Item[] = [...context.tenant.invoices.values()].map((invoice) => {
    const total = totalsOf(invoice).total;
    return { invoice, total, ...settlementOf(context.tenant, invoice, total) };
  });
  const fullyPaid = (item: Item) => item.invoice.data.Cancelled !== true && (item.finalPayDate !== null || (item.invoice.data.Booked === true && item.total === 0));
  const unpaid = (item: Item) => item.invoice.data.Cancelled !== true && item.balance !== 0 && !fullyPaid(item);
  const field = (key: string) => (item: Item) => item.invoice.data[key];
  const flag = (key: string) => (item: Item, value: string) => text(item.invoice.data, key) === value.toLowerCase();
  return listResponse<Item>(context, {
    key: 'Invoices',
    items,
    filters: {
      cancelled: (item) => item.invoice.data.Cancelled === true,
      // Paid in full by its payments (FinalPayDate set), or a booked invoice of 0 kronor, which nobody owes.
      fullypaid: fullyPaid,
      unpaid,
      // Overdue: the due date has passed by the sandbox's clock (today), with money still owed.
      unpaidoverdue: (item) => unpaid(item) && text(item.invoice.data, 'DueDate') < context.today,
      unbooked: (item) => item.invoice.data.Booked !== true && item.invoice.data.Cancelled !== true,
    },
    search: {
      costcenter: field('CostCenter'),
      customername: field('CustomerName'),
      customernumber: field('CustomerNumber'),
      documentnumber: field('DocumentNumber'),
      ocr: field('OCR'),
      ourreference: field('OurReference'),
      yourreference: field('YourReference'),
      yourordernumber: field('YourOrderNumber'),
      project: field('Project'),
      externalinvoicereference1: field('ExternalInvoiceReference1'),
      externalinvoicereference2: field('ExternalInvoiceReference2'),
      currency: field('Currency'),
      invoicetype: field('InvoiceType'),
    },
    predicates: {
      fromdate: (item, value) => text(item.invoice.data, 'InvoiceDate') >= value,
      todate: (item, value) => text(item.invoice.data, 'InvoiceDate') <= value,
      fromfinalpaydate: (item, value) => item.finalPayDate !== null && item.finalPayDate >= value,
      tofinalpaydate: (item, value) => item.finalPayDate !== null && item.finalPayDate <= value,
      sent: flag('Sent'),
      notcompleted: flag('NotCompleted'),
      credit: flag('Credit'),
      label: (item, value) => Array.isArray(item.invoice.data.Labels) && item.invoice.data.Labels.some((label) => scalar((label as WireObject).Id) === value),
      articlenumber: (item, value) => item.invoice.rows.some((row) => ilike(row.ArticleNumber, value)),
      articledescription: (item, value) => item.invoice.rows.some((row) => ilike(row.Description, value)),
      accountnumberfrom: (item, value) => item.invoice.rows.some((row) => row.AccountNumber >= Number(value)),
      accountnumberto: (item, value) => item.invoice.rows.some((row) => row.AccountNumber <= Number(value)),
    },
    sortBy: {
      documentnumber: (item) => Number(item.invoice.data.DocumentNumber),
      customername: (item) => text(item.invoice.data, 'CustomerName'),
      customernumber: (item) => text(item.invoice.data, 'CustomerNumber'),
      invoicedate: (item) => text(item.invoice.data, 'InvoiceDate'),
      ocr: (item) => text(item.invoice.data, 'OCR'),
      total: (item) => item.total,
    },
    lastModified: (item) => item.invoice.modifiedAt,
    render: (item) => renderListItem(context, item.invoice),
  });
}

export const invoiceRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/invoices', scope: 'invoice', handle: list },
  { method: 'POST', template: '/3/invoices', scope: 'invoice', handle: create },
  {
    method: 'GET',
    template: '/3/invoices/{DocumentNumber}',
    scope: 'invoice',
    handle: (context) => ok('Invoice', renderInvoice(context, requireInvoice(context.tenant, context.params.DocumentNumber ?? ''))),
  },
  { method: 'PUT', template: '/3/invoices/{DocumentNumber}', scope: 'invoice', handle: update },
  { method: 'PUT', template: '/3/invoices/{DocumentNumber}/bookkeep', scope: 'invoice', handle: bookkeep },
  { method: 'PUT', template: '/3/invoices/{DocumentNumber}/cancel', scope: 'invoice', handle: cancel },
  { method: 'PUT', template: '/3/invoices/{DocumentNumber}/credit', scope: 'invoice', handle: credit },
  { method: 'GET', template: '/3/invoices/{DocumentNumber}/email', scope: 'invoice', handle: sendInvoice('email') },
  { method: 'GET', template: '/3/invoices/{DocumentNumber}/einvoice', scope: 'invoice', handle: sendInvoice('einvoice') },
  { method: 'GET', template: '/3/invoices/{DocumentNumber}/eprint', scope: 'invoice', handle: sendInvoice('eprint') },
];
