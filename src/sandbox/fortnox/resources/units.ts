// /3/units — [SPEC] fortnox_Unit: Code (1–20 characters) and Description (1–100) required, CodeEnglish (≤100).
// Shapes follow recorded calls ([VCR-26] units/save_new.yml, all.yml, save_old.yml; [VCR-23] find_failure.yml):
// a unit created without CodeEnglish answers CodeEnglish "", the list is ordered by code, an unknown code is 404
// {"ErrorInformation":{"Error":1,"Message":"Kan inte hitta enheten.","Code":2000432}}. An invoice row whose Unit
// is not in this register is refused (resources/invoices.ts).
//
// Scope `settings`: the units recording was made with a client-credentials token whose scopes were
// "article customer invoice order project settings" ([VCR-26] authentication/valid_request.yml), and of those
// only `settings` can cover units; Fortnox's scopes page puts the company's registers under it (§1.2).
//
// Codes are matched exactly, as written: the recordings show lower-case codes ("st", "förp") and nothing about
// case folding, so the sandbox does not fold. Deleting a unit that rows use is allowed: Fortnox documents no
// guard, and rows keep the code they were saved with.
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = { Code: '', CodeEnglish: '', Description: '' };
const listKeys = ['@url', 'Code', 'CodeEnglish', 'Description'] as const;

/** The record as a single GET answers it. */
export function renderUnit(context: { baseUrl: string }, unit: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/units/${encodeURIComponent(text(unit.data, 'Code'))}`, ...unit.data };
}

function requireUnitRecord(tenant: TenantState, code: string): Stored {
  const unit = tenant.units.get(code);
  if (unit === undefined) throw notFound(FortnoxCode.unitNotFound, 'Kan inte hitta enheten.');
  return unit;
}

/** Creates a unit from a validated Unit object (a POST, or the seed). */
export function createUnit(tenant: TenantState, input: Record<string, unknown>, now: number): Stored {
  const code = givenString(input, 'Code') ?? '';
  if (tenant.units.has(code)) throw invalid(SandboxCode.unitTaken, `Enheten "${code}" finns redan`);
  const data = copyJson(template);
  applyFields(data, input, template);
  data.Code = code;
  const unit = { data, modifiedAt: now };
  tenant.units.set(code, unit);
  return unit;
}

function list(context: ApiContext) {
  return listResponse<Stored>(context, {
    key: 'Units',
    items: context.tenant.units.values(),
    sortBy: { code: (unit) => text(unit.data, 'Code') },
    lastModified: (unit) => unit.modifiedAt,
    render: (unit) => listItem(renderUnit(context, unit), listKeys),
  });
}

export const unitRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/units', scope: 'settings', handle: list },
  {
    method: 'POST',
    template: '/3/units',
    scope: 'settings',
    handle: (context) => created('Unit', renderUnit(context, createUnit(context.tenant, context.body, context.now)), 'units'),
  },
  {
    method: 'GET',
    template: '/3/units/{Code}',
    scope: 'settings',
    handle: (context) => ok('Unit', renderUnit(context, requireUnitRecord(context.tenant, context.params.Code ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/units/{Code}',
    scope: 'settings',
    handle: (context) => {
      const unit = requireUnitRecord(context.tenant, context.params.Code ?? '');
      const code = text(unit.data, 'Code');
      const recode = givenString(context.body, 'Code');
      if (recode !== undefined && recode !== code) throw invalid(SandboxCode.numberCannotChange, `Enhetskoden kan inte ändras (${code} → ${recode})`);
      applyFields(unit.data, context.body, template, new Set(['Code']));
      unit.modifiedAt = context.now;
      return ok('Unit', renderUnit(context, unit));
    },
  },
  {
    method: 'DELETE',
    template: '/3/units/{Code}',
    scope: 'settings',
    handle: (context) => {
      const unit = requireUnitRecord(context.tenant, context.params.Code ?? '');
      context.tenant.units.delete(text(unit.data, 'Code'));
      return noContent;
    },
  },
];
