// Fortnox's error bodies and the codes the sandbox answers with.
//
// Shapes (reference/fortnox-api.md §3.1): a 404 carries capitalised keys
// {"ErrorInformation":{"Error":1,"Message":"Kan inte hitta kunden.","Code":2000433}}; a 400 validation error
// carries lowercase keys {"ErrorInformation":{"error":1,"message":"…","code":2000587}}. Both were recorded
// from the live API, so the sandbox reproduces both and clients must read the keys case-insensitively.

/** Codes Fortnox documents or that were seen in recorded responses (reference/fortnox-api.md §3.3). */
export const FortnoxCode = {
  systemException: 1000003,
  invalidResponseType: 1000030,
  invalidContentType: 1000031,
  notAlphanumeric: 2000106,
  notNumeric: 2000108,
  notBoolean: 2000134,
  customerNotFound: 2000433,
  invoiceNotFound: 2000434,
  /** "Kan inte hitta betalningsvillkoret" on /3/termsofpayments; reused for an unknown TermsOfPayment. */
  termsOfPaymentNotFound: 2000429,
  /** "Kan inte hitta enheten" on /3/units; reused for an unknown row Unit. */
  unitNotFound: 2000432,
  invalidFilter: 2000587,
  invalidParameter: 2000588,
  customerNumberTaken: 2000637,
  /** Sharespine knowledge base: the account requires a cost centre and none was given. */
  costCentreRequired: 2000946,
  /** Sharespine knowledge base: the cost centre is inactive. */
  costCentreInactive: 2000947,
  projectNotFound: 2001161,
  accountNotFound: 2001304,
  /** From a third-party client's code table ("Kunde inte hitta artikel"); the sandbox has no articles. */
  articleNotFound: 2001302,
  noOrWrongData: 2001392,
  invalidFieldName: 2001399,
  invalidJson: 2002115,
  /** Invantive: "Har inte behörighet för scope". */
  scopeNotAuthorised: 2000663,
} as const;

/**
 * Codes the sandbox had to choose because Fortnox documents none for the situation (reference/fortnox-api.md
 * §3.3 "Known messages without a confirmed code" and §8 question 3). They share the prefix 2999 so that
 * nobody mistakes them for real Fortnox codes: a client must not branch on them, only on the HTTP status and
 * the documented codes above.
 */
export const SandboxCode = {
  notAString: 2999101,
  tooLong: 2999102,
  tooShort: 2999103,
  notInEnum: 2999104,
  outOfRange: 2999105,
  invalidDate: 2999106,
  requiredField: 2999107,
  /** No financial year contains the document date (Junipeer reports "Fiscal year not available"). */
  noFinancialYear: 2999110,
  /** Known message "Konto "xxxx" är inte aktivt"; code unknown. */
  accountInactive: 2999111,
  /** Known message "Kunde inte hämta/hitta kostnadsställe"; code unknown. */
  costCentreNotFound: 2999112,
  /** Known message "Kunde inte hämta/hitta moms"; code unknown. */
  vatRateNotFound: 2999113,
  /** Known message "Ogiltig rabatt. Får inte överstiga 100 %"; code unknown. */
  invalidDiscount: 2999114,
  /** "Ogiltig Momskod" was seen for a bad row VATCode (softwerkab issue 327); code unknown. */
  invalidVatCode: 2999115,
  /**
   * A currency the company has not set up, on a document or on GET /3/currencies/{Code}. Integrators report
   * "Could not retrieve/find currency" (Junipeer, domain.md §3.6); no code was found.
   */
  currencyNotFound: 2999116,
  /** Booked invoices cannot be edited (Junipeer, wetail); no code or message documented. */
  invoiceBooked: 2999120,
  invoiceCancelled: 2999121,
  /** "Fortnox only allows one credit invoice per invoice" (Junipeer, unverified). */
  invoiceAlreadyCredited: 2999122,
  invoiceIsCredit: 2999123,
  documentNumberTaken: 2999124,
  /** Sending by e-mail with no address on the invoice or the customer: the sandbox's rule, Fortnox documents none. */
  noEmailAddress: 2999125,
  /** Sending an e-invoice to a customer without an organisation number: the sandbox's rule, Fortnox documents none. */
  noOrganisationNumber: 2999126,
  costCentreNotFoundById: 2999130,
  costCentreTaken: 2999131,
  projectNumberTaken: 2999132,
  accountTaken: 2999133,
  financialYearNotFound: 2999134,
  financialYearOverlaps: 2999135,
  invalidCountryCode: 2999136,
  numberCannotChange: 2999137,
  currencyTaken: 2999138,
  termsOfPaymentTaken: 2999139,
  /** Currency codes are ISO 4217's three letters; Fortnox's own check and code are undocumented. */
  invalidCurrencyCode: 2999143,
  unitTaken: 2999144,
  /**
   * A payment on an invoice that is not booked. Fortnox needs the invoice booked first: Nox Finans "måste först
   * fakturan vara bokförd i Fortnox" and books it before registering a payment (helpdesk.noxfinans.se article 167).
   */
  invoiceNotBooked: 2999145,
  /** "The payment date cannot precede the invoice date" (Junipeer FORTNOX_PAYMENT_DATE); code unknown. */
  paymentBeforeInvoice: 2999146,
  /** A booked payment cannot be changed or removed, as a booked invoice cannot (the sandbox's rule). */
  paymentBooked: 2999147,
  /** An unknown payment number; Fortnox's code is undocumented. */
  paymentNotFound: 2999148,
  bodyTooLarge: 2999140,
  unknownEndpoint: 2999141,
  methodNotAllowed: 2999142,
} as const;

/** An error a handler throws to answer with a Fortnox-shaped `ErrorInformation` body. */
export class FortnoxApiError extends Error {
  override readonly name = 'FortnoxApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** 'capitalised' for 404s and system errors, 'lowercase' for 400 validation errors. */
    readonly keys: 'capitalised' | 'lowercase',
  ) {
    super(message);
  }
}

/** 400 with lowercase keys, as Fortnox answers validation and business-rule errors. */
export function invalid(code: number, message: string): FortnoxApiError {
  return new FortnoxApiError(400, code, message, 'lowercase');
}

/** 404 with capitalised keys, as Fortnox answers an unknown id. */
export function notFound(code: number, message: string): FortnoxApiError {
  return new FortnoxApiError(404, code, message, 'capitalised');
}

/** The `{"ErrorInformation":{…}}` body for `error`. */
export function errorInformation(error: FortnoxApiError): unknown {
  return error.keys === 'capitalised'
    ? { ErrorInformation: { Error: 1, Message: error.message, Code: error.code } }
    : { ErrorInformation: { error: 1, message: error.message, code: error.code } };
}

/** Fortnox's answer to an unexpected failure: 500, code 1000003 "System exception". */
export function systemException(): FortnoxApiError {
  return new FortnoxApiError(500, FortnoxCode.systemException, 'System exception', 'capitalised');
}
