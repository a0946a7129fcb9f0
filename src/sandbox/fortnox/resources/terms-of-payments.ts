// /3/termsofpayments — [SPEC] fortnox_TermsOfPayment: Code (1–25 characters) and Description, both required.
// Fortnox upper-cases the code ("30days" becomes "30DAYS", accodeing docs/gotchas.md), and an invoice or customer
// that names unknown terms is refused with 2000429 (lookups.ts). The spec's list wrapper has no MetaInformation;
// the sandbox pages it like every other list.
//
// Days. Fortnox derives an invoice's DueDate from its terms ("30" on 2026-05-01 gives 2026-05-31, [VCR-26]), so
// it keeps a number of days per terms, but neither the OpenAPI schema nor the client libraries have a field for
// it (fortnox_TermsOfPayment is Code, Description, @url). The sandbox's choice: the days are the number the code
// starts with ("30" → 30, "45DAGAR" → 45), and 0 when it starts with none ("KONTANT"). They show in
// GET /sandbox/state, never on /3.
import { created, ok, type ApiContext, type ApiRoute } from '../api.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type StoredTermsOfPayment, type TenantState, type WireObject } from '../state.js';

const template: WireObject = { Code: '', Description: '' };
const listKeys = ['@url', 'Code', 'Description'] as const;

/** The days of a terms-of-payment code: the number it starts with, else 0 (see the top of this module). */
export function daysOfTermsCode(code: string): number {
  const digits = /^\d{1,4}/.exec(code)?.[0];
  return digits === undefined ? 0 : Number(digits);
}

/** The record as a single GET answers it. */
export function renderTermsOfPayment(context: { baseUrl: string }, terms: StoredTermsOfPayment): WireObject {
  return { '@url': `${context.baseUrl}/3/termsofpayments/${encodeURIComponent(text(terms.data, 'Code'))}`, ...terms.data };
}

function requireTermsRecord(tenant: TenantState, code: string): StoredTermsOfPayment {
  const terms = tenant.termsOfPayments.get(code.toUpperCase());
  // 404 with 2000429, as recorded for an unknown code ([VCR-23], reference/fortnox-api.md §3.1).
  if (terms === undefined) throw notFound(FortnoxCode.termsOfPaymentNotFound, 'Kan inte hitta betalningsvillkoret.');
  return terms;
}

/** Creates terms of payment from a validated TermsOfPayment object (a POST, or the seed). */
export function createTermsOfPayment(tenant: TenantState, input: Record<string, unknown>, now: number): StoredTermsOfPayment {
  const code = (givenString(input, 'Code') ?? '').toUpperCase();
  if (tenant.termsOfPayments.has(code)) throw invalid(SandboxCode.termsOfPaymentTaken, `Betalningsvillkor "${code}" finns redan`);
  const data = copyJson(template);
  applyFields(data, input, template);
  data.Code = code;
  const terms = { data, days: daysOfTermsCode(code), modifiedAt: now };
  tenant.termsOfPayments.set(code, terms);
  return terms;
}

function list(context: ApiContext) {
  return listResponse<StoredTermsOfPayment>(context, {
    key: 'TermsOfPayments',
    items: context.tenant.termsOfPayments.values(),
    sortBy: { code: (t) => text(t.data, 'Code'), description: (t) => text(t.data, 'Description') },
    lastModified: (t) => t.modifiedAt,
    render: (t) => listItem(renderTermsOfPayment(context, t), listKeys),
  });
}

export const termsOfPaymentRoutes: readonly ApiRoute[] = [
  // Scope: Fortnox lists terms of payment among the `settings` resources.
  { method: 'GET', template: '/3/termsofpayments', scope: 'settings', handle: list },
  {
    method: 'POST',
    template: '/3/termsofpayments',
    scope: 'settings',
    handle: (context) => created('TermsOfPayment', renderTermsOfPayment(context, createTermsOfPayment(context.tenant, context.body, context.now)), 'termsofpayments'),
  },
  {
    method: 'GET',
    template: '/3/termsofpayments/{Code}',
    scope: 'settings',
    handle: (context) => ok('TermsOfPayment', renderTermsOfPayment(context, requireTermsRecord(context.tenant, context.params.Code ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/termsofpayments/{Code}',
    scope: 'settings',
    handle: (context) => {
      const terms = requireTermsRecord(context.tenant, context.params.Code ?? '');
      const code = text(terms.data, 'Code');
      const recode = givenString(context.body, 'Code');
      if (recode !== undefined && recode.toUpperCase() !== code) {
        throw invalid(SandboxCode.numberCannotChange, `Koden för ett betalningsvillkor kan inte ändras (${code} → ${recode})`);
      }
      applyFields(terms.data, context.body, template, new Set(['Code']));
      terms.modifiedAt = context.now;
      return ok('TermsOfPayment', renderTermsOfPayment(context, terms));
    },
  },
];
