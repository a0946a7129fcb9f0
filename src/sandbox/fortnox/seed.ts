// What every sandbox tenant starts with: a small print-shop company with a BAS chart of accounts carrying
// Fortnox VAT codes, a few customers, cost centres and projects. Data only; state.ts builds tenants from it.
//
// Accounts follow reference/bas-accounts.md §1 (names from BAS 2025/2026, VAT codes MP1/MP2/MP3/MF with
// high confidence, E/VTEU/FTEU/ÖTEU with medium). Two kinds of trap accounts exist on purpose, because real
// companies have them and the integration must tell the user what to fix:
// - inactive accounts (3010, 3011): Fortnox answers `Konto "3010" är inte aktivt`;
// - accounts that require a cost centre (3041, 3051): Fortnox answers 2000946 without one.

export type CostCenterSettings = 'ALLOWED' | 'MANDATORY' | 'NOTALLOWED';

export interface SeedAccount {
  number: number;
  description: string;
  vatCode: string | null;
  active: boolean;
  costCenterSettings: CostCenterSettings;
  sru: number | null;
}

const account = (
  number: number,
  description: string,
  vatCode: string | null,
  extra: { active?: boolean; costCenterSettings?: CostCenterSettings; sru?: number } = {},
): SeedAccount => ({
  number,
  description,
  vatCode,
  active: extra.active ?? true,
  costCenterSettings: extra.costCenterSettings ?? 'ALLOWED',
  sru: extra.sru ?? null,
});

export const seedAccounts: readonly SeedAccount[] = [
  account(1510, 'Kundfordringar', null, { sru: 7251 }),
  account(1920, 'PlusGiro', null, { sru: 7281 }),
  account(1930, 'Företagskonto/checkkonto/affärskonto', null, { sru: 7281 }),
  account(2420, 'Förskott från kunder', null, { sru: 7369 }),
  account(2440, 'Leverantörsskulder', null, { sru: 7365 }),
  account(2611, 'Utgående moms på försäljning inom Sverige, 25 %', 'U1', { sru: 7369 }),
  account(2614, 'Utgående moms, omvänd betalningsskyldighet, 25 %', null, { sru: 7369 }),
  account(2621, 'Utgående moms på försäljning inom Sverige, 12 %', 'U2', { sru: 7369 }),
  account(2631, 'Utgående moms på försäljning inom Sverige, 6 %', 'U3', { sru: 7369 }),
  account(2641, 'Debiterad ingående moms', 'I', { sru: 7251 }),
  account(2650, 'Redovisningskonto för moms', 'R1', { sru: 7369 }),
  account(2990, 'Övriga upplupna kostnader och förutbetalda intäkter', null, { sru: 7370 }),
  account(3001, 'Försäljning inom Sverige, 25 % moms', 'MP1', { sru: 7410 }),
  account(3002, 'Försäljning inom Sverige, 12 % moms', 'MP2', { sru: 7410 }),
  account(3003, 'Försäljning inom Sverige, 6 % moms', 'MP3', { sru: 7410 }),
  account(3004, 'Försäljning inom Sverige, momsfri', 'MF', { sru: 7410 }),
  account(3010, 'Försäljning varor', 'MP1', { active: false, sru: 7410 }),
  account(3011, 'Försäljning varor, 25 % moms (gammalt konto)', 'MP1', { active: false, sru: 7410 }),
  account(3041, 'Försäljning tjänster 25 %', 'MP1', { costCenterSettings: 'MANDATORY', sru: 7410 }),
  account(3051, 'Försäljning tryckalster 25 %', 'MP1', { costCenterSettings: 'MANDATORY', sru: 7410 }),
  account(3105, 'Försäljning varor till land utanför EU', 'E', { sru: 7410 }),
  account(3106, 'Försäljning varor till annat EU-land, momspliktig', 'MP1', { sru: 7410 }),
  account(3108, 'Försäljning varor till annat EU-land, momsfri', 'VTEU', { sru: 7410 }),
  // The VAT code of 3231 is UNCERTAIN (bas-accounts.md §2.3): OTTU comes from the one Fortnox-specific source
  // (ruta 41, "köparen är betalningsskyldig i Sverige"), OMSS only from non-Fortnox conventions. OTTU it is.
  account(3231, 'Försäljning inom byggsektorn, omvänd betalningsskyldighet moms', 'OTTU', { sru: 7410 }),
  account(3305, 'Försäljning tjänster till land utanför EU', 'ÖTEU', { sru: 7410 }),
  account(3308, 'Försäljning tjänster till annat EU-land', 'FTEU', { sru: 7410 }),
  account(3520, 'Fakturerade frakter', 'MP1', { sru: 7410 }),
  account(3540, 'Faktureringsavgifter', 'MP1', { sru: 7410 }),
  account(3730, 'Lämnade rabatter', null, { sru: 7410 }),
  account(3740, 'Öres- och kronutjämning', null, { sru: 7410 }),
  account(3960, 'Valutakursvinster på fordringar och skulder av rörelsekaraktär', null, { sru: 7413 }),
  account(3990, 'Övriga ersättningar, bidrag och intäkter', null, { sru: 7413 }),
  account(7960, 'Valutakursförluster på fordringar och skulder av rörelsekaraktär', null, { sru: 7513 }),
  account(8313, 'Ränteintäkter från kortfristiga fordringar', null, { sru: 7417 }),
];

/** The VAT rate each Fortnox VAT code implies, for defaulting a row's VAT from its account. */
export const vatRateOfCode: Readonly<Record<string, number>> = {
  MP1: 25,
  MP2: 12,
  MP3: 6,
  MF: 0,
  E: 0,
  VTEU: 0,
  FTEU: 0,
  ÖTEU: 0,
  OTTU: 0,
};

/** The row VATCode Fortnox shows for a VAT rate when the account has no 0 % code of its own. */
export const vatCodeOfRate: Readonly<Record<number, string>> = { 25: 'MP1', 12: 'MP2', 6: 'MP3', 0: 'MF' };

/** VAT rates a Fortnox company has by default; others must be set up first ("Kunde inte hämta/hitta moms"). */
export const seedVatRates: readonly number[] = [25, 12, 6, 0];

/**
 * Terms of payment in TermsOfPayment-payload shape; the days follow from the code (resources/terms-of-payments.ts).
 * Fortnox's default on new invoices is "30" ([VCR-23] invoices/save_new.yml).
 */
export const seedTermsOfPayments: readonly { Code: string; Description: string }[] = [
  { Code: '10', Description: '10 dagar netto' },
  { Code: '15', Description: '15 dagar netto' },
  { Code: '20', Description: '20 dagar netto' },
  { Code: '30', Description: '30 dagar netto' },
];

/**
 * Currencies set up in the company, in Currency-payload shape (`fortnox_Currency`): SEK, the company's own, and
 * three foreign ones with plausible 2026 rates in SEK per `Unit` units. NOK is quoted per 100, as Swedish banks
 * quote the Nordic crowns, so that a client that ignores CurrencyUnit is caught. DKK, GBP and the rest are
 * deliberately missing: an invoice in them is refused until someone sets the currency up.
 */
export const seedCurrencies: readonly { Code: string; Description: string; SellRate: number; BuyRate: number; Unit: number }[] = [
  { Code: 'SEK', Description: 'Svensk krona', SellRate: 1, BuyRate: 1, Unit: 1 },
  { Code: 'EUR', Description: 'Euro', SellRate: 11.12, BuyRate: 10.88, Unit: 1 },
  { Code: 'USD', Description: 'Amerikansk dollar', SellRate: 9.64, BuyRate: 9.38, Unit: 1 },
  { Code: 'NOK', Description: 'Norsk krona', SellRate: 94.85, BuyRate: 92.15, Unit: 100 },
];

/**
 * The company's unit register, in Unit-payload shape (`fortnox_Unit`). Fortnox validates a row's Unit against it.
 * The first five are the units a new Fortnox company has: the ones with an English code in the recorded list of a
 * test company ([VCR-26] units/all.yml; every other unit there was made by the test suite and has CodeEnglish ""
 * or null). The rest are the ones this print shop added itself, as it added its cost centres and projects.
 */
export const seedUnits: readonly { Code: string; CodeEnglish: string; Description: string }[] = [
  { Code: 'st', CodeEnglish: 'pcs', Description: 'styck' },
  { Code: 'h', CodeEnglish: 'h', Description: 'timmar' },
  { Code: 'km', CodeEnglish: 'km', Description: 'Kilometer' },
  { Code: 'förp', CodeEnglish: 'pack', Description: 'förpackning' },
  { Code: 'utl', CodeEnglish: 'exp', Description: 'Utlägg' },
  { Code: 'ex', CodeEnglish: 'copies', Description: 'exemplar' },
  { Code: 'ark', CodeEnglish: 'sheets', Description: 'ark' },
  { Code: 'tim', CodeEnglish: 'hrs', Description: 'timmar (tryckeri)' },
  { Code: 'dag', CodeEnglish: 'days', Description: 'dagar' },
  { Code: 'm', CodeEnglish: 'm', Description: 'meter' },
  { Code: 'm2', CodeEnglish: 'sqm', Description: 'kvadratmeter' },
  { Code: 'kg', CodeEnglish: 'kg', Description: 'kilogram' },
  { Code: 'set', CodeEnglish: 'set', Description: 'set' },
];

export const seedCostCenters: readonly { Code: string; Description: string; Active: boolean; Note?: string }[] = [
  { Code: 'TRYCK', Description: 'Tryckeri', Active: true },
  { Code: 'BIND', Description: 'Bokbinderi', Active: true },
  { Code: 'SKYLT', Description: 'Skyltar och storformat', Active: true },
  { Code: 'GAMLA', Description: 'Avvecklad verksamhet', Active: false, Note: 'Används inte sedan flytten' },
];

export const seedProjects: readonly { Description: string; Status: 'NOTSTARTED' | 'ONGOING' | 'COMPLETED'; ProjectLeader?: string }[] = [
  { Description: 'Mässmaterial Elmia', Status: 'ONGOING', ProjectLeader: 'Åsa Lindström' },
  { Description: 'Årsredovisningar tryck', Status: 'ONGOING' },
  { Description: 'Julkort till kunder', Status: 'COMPLETED' },
];

/** Customers in Customer-payload shape, created through the same path as a POST. */
export const seedCustomers: readonly Record<string, string | boolean>[] = [
  {
    Name: 'Åkessons Tryckeri AB',
    OrganisationNumber: '556123-4567',
    Address1: 'Storgatan 12',
    ZipCode: '411 38',
    City: 'Göteborg',
    CountryCode: 'SE',
    Email: 'faktura@akessons-tryckeri.se',
    Phone1: '031-123 45 67',
    TermsOfPayment: '30',
  },
  {
    Name: 'Ölands Reklambyrå HB',
    OrganisationNumber: '969712-3456',
    Address1: 'Hamnvägen 3',
    ZipCode: '387 31',
    City: 'Borgholm',
    CountryCode: 'SE',
    Email: 'info@olandsreklam.se',
    TermsOfPayment: '10',
  },
  {
    Name: 'Bokbinderiet i Västerås AB',
    OrganisationNumber: '556987-6543',
    Address1: 'Kopparbergsvägen 8',
    ZipCode: '722 13',
    City: 'Västerås',
    CountryCode: 'SE',
    Email: 'ekonomi@bokbinderiet.se',
  },
  {
    Name: 'Sjöbergs Förlag AB',
    OrganisationNumber: '556555-1212',
    Address1: 'Östra Förstadsgatan 40',
    ZipCode: '212 12',
    City: 'Malmö',
    CountryCode: 'SE',
    Email: 'faktura@sjobergsforlag.se',
    YourReference: 'Märta Sjöberg',
  },
  {
    Name: 'Ärlebäcks Skyltfabrik',
    OrganisationNumber: '556444-9090',
    City: 'Örebro',
    CountryCode: 'SE',
    Active: false,
  },
  {
    Name: 'Nordisk Druck GmbH',
    Address1: 'Boschstraße 7',
    ZipCode: '22761',
    City: 'Hamburg',
    CountryCode: 'DE',
    VATType: 'EUREVERSEDVAT',
    VATNumber: 'DE123456789',
    Currency: 'EUR',
  },
];

export const seedCompany = {
  CompanyName: 'Sandlådans Tryckeri AB',
  OrganizationNumber: '556000-1234',
  Address: 'Tryckargatan 1',
  ZipCode: '111 22',
  City: 'Stockholm',
  CountryCode: 'SE',
  VisitAddress: 'Tryckargatan 1',
  VisitZipCode: '111 22',
  VisitCity: 'Stockholm',
  VisitCountryCode: 'SE',
} as const;

/** The predefined sales account (SALES → 3001, bas-accounts.md §1) used for a row without AccountNumber. */
export const predefinedSalesAccount = 3001;

/** The voucher series Fortnox books customer invoices in ("B – Kundfakturor"). */
export const invoiceVoucherSeries = 'B';

/** The voucher series of customer payments in Fortnox's default series ("C – Inbetalningar"). */
export const paymentVoucherSeries = 'C';

/** The account a payment is booked to when it names none: the company's bank account (företagskonto). */
export const predefinedPaymentAccount = 1930;
