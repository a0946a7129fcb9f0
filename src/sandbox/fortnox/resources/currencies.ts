// /3/currencies — [SPEC] fortnox_Currency: Code and Description required; SellRate, BuyRate and Unit (SEK per Unit
// units of the currency), Date (of the rates) and IsAutomatic (Fortnox updates the rates daily). A company can
// invoice only in currencies it has set up ("the currency must be enabled under settings", domain.md §3.6), so
// invoices check their Currency against this register (lookups.ts). The sandbox never changes rates by itself.
import { created, ok, type ApiContext, type ApiRoute } from '../api.js';
import { invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = { BuyRate: 0, Code: '', Date: null, Description: '', IsAutomatic: false, SellRate: 0, Unit: 1 };
const listKeys = ['@url', 'BuyRate', 'Code', 'Date', 'Description', 'IsAutomatic', 'SellRate', 'Unit'] as const;

/** The record as a single GET answers it. */
export function renderCurrency(context: { baseUrl: string }, currency: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/currencies/${encodeURIComponent(text(currency.data, 'Code'))}`, ...currency.data };
}

function requireCurrencyRecord(tenant: TenantState, code: string): Stored {
  const currency = tenant.currencies.get(code.toUpperCase());
  if (currency === undefined) throw notFound(SandboxCode.currencyNotFound, `Kunde inte hitta valuta (${code})`);
  return currency;
}

/** Creates a currency from a validated Currency object (a POST, or the seed); `today` dates rates given without a Date. */
export function createCurrency(tenant: TenantState, input: Record<string, unknown>, now: number, today: string): Stored {
  const code = (givenString(input, 'Code') ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw invalid(SandboxCode.invalidCurrencyCode, `Ogiltig valutakod "${code}" (tre bokstäver enligt ISO 4217)`);
  if (tenant.currencies.has(code)) throw invalid(SandboxCode.currencyTaken, `Valuta ${code} finns redan`);
  const data = copyJson(template);
  applyFields(data, input, template);
  data.Code = code;
  if (data.Date === null) data.Date = today;
  const currency = { data, modifiedAt: now };
  tenant.currencies.set(code, currency);
  return currency;
}

function list(context: ApiContext) {
  return listResponse<Stored>(context, {
    key: 'Currencies',
    items: context.tenant.currencies.values(),
    sortBy: { code: (c) => text(c.data, 'Code'), description: (c) => text(c.data, 'Description') },
    lastModified: (c) => c.modifiedAt,
    render: (c) => listItem(renderCurrency(context, c), listKeys),
  });
}

export const currencyRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/currencies', scope: 'currency', handle: list },
  {
    method: 'POST',
    template: '/3/currencies',
    scope: 'currency',
    handle: (context) => created('Currency', renderCurrency(context, createCurrency(context.tenant, context.body, context.now, context.today)), 'currencies'),
  },
  {
    method: 'GET',
    template: '/3/currencies/{Code}',
    scope: 'currency',
    handle: (context) => ok('Currency', renderCurrency(context, requireCurrencyRecord(context.tenant, context.params.Code ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/currencies/{Code}',
    scope: 'currency',
    handle: (context) => {
      const currency = requireCurrencyRecord(context.tenant, context.params.Code ?? '');
      const code = text(currency.data, 'Code');
      const recode = givenString(context.body, 'Code');
      if (recode !== undefined && recode.toUpperCase() !== code) {
        throw invalid(SandboxCode.numberCannotChange, `Valutakoden kan inte ändras (${code} → ${recode})`);
      }
      applyFields(currency.data, context.body, template, new Set(['Code']));
      currency.modifiedAt = context.now;
      return ok('Currency', renderCurrency(context, currency));
    },
  },
];
