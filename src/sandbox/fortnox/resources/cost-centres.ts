// /3/costcenters — reference/fortnox-api.md §4.4: Code (1–6 characters) and Description required, Note,
// Active. The list is the full objects (fortnox_CostCenter_List) and takes no resource-specific parameters.
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = { Active: true, Code: '', Description: '', Note: null };
const listKeys = ['@url', 'Active', 'Code', 'Description', 'Note'] as const;

/** The record as a single GET answers it. */
export function renderCostCentre(context: { baseUrl: string }, costCentre: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/costcenters/${encodeURIComponent(text(costCentre.data, 'Code'))}`, ...costCentre.data };
}

function requireCostCentre(tenant: TenantState, code: string): Stored {
  const costCentre = tenant.costCenters.get(code);
  // Fortnox's code for an unknown cost centre is undocumented (§4.4); the message follows its other 404s.
  if (costCentre === undefined) throw notFound(SandboxCode.costCentreNotFoundById, 'Kan inte hitta kostnadsstället.');
  return costCentre;
}

/** Creates a cost centre from a validated CostCenter object (a POST, or the seed). */
export function createCostCentre(tenant: TenantState, input: Record<string, unknown>, now: number): Stored {
  const code = givenString(input, 'Code') ?? '';
  if (tenant.costCenters.has(code)) throw invalid(SandboxCode.costCentreTaken, `Kostnadsställe "${code}" finns redan`);
  const data = copyJson(template);
  applyFields(data, input, template);
  const costCentre = { data, modifiedAt: now };
  tenant.costCenters.set(code, costCentre);
  return costCentre;
}

function list(context: ApiContext) {
  return listResponse<Stored>(context, {
    key: 'CostCenters',
    items: context.tenant.costCenters.values(),
    sortBy: { code: (c) => text(c.data, 'Code'), description: (c) => text(c.data, 'Description') },
    lastModified: (c) => c.modifiedAt,
    render: (c) => listItem(renderCostCentre(context, c), listKeys),
  });
}

export const costCentreRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/costcenters', scope: 'costcenter', handle: list },
  {
    method: 'POST',
    template: '/3/costcenters',
    scope: 'costcenter',
    handle: (context) => created('CostCenter', renderCostCentre(context, createCostCentre(context.tenant, context.body, context.now)), 'costcenters'),
  },
  {
    method: 'GET',
    template: '/3/costcenters/{Code}',
    scope: 'costcenter',
    handle: (context) => ok('CostCenter', renderCostCentre(context, requireCostCentre(context.tenant, context.params.Code ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/costcenters/{Code}',
    scope: 'costcenter',
    handle: (context) => {
      const code = context.params.Code ?? '';
      const costCentre = requireCostCentre(context.tenant, code);
      const recode = givenString(context.body, 'Code');
      if (recode !== undefined && recode !== code) throw invalid(SandboxCode.numberCannotChange, `Koden för ett kostnadsställe kan inte ändras (${code} → ${recode})`);
      applyFields(costCentre.data, context.body, template);
      costCentre.modifiedAt = context.now;
      return ok('CostCenter', renderCostCentre(context, costCentre));
    },
  },
  {
    method: 'DELETE',
    template: '/3/costcenters/{Code}',
    scope: 'costcenter',
    handle: (context) => {
      const code = context.params.Code ?? '';
      requireCostCentre(context.tenant, code);
      context.tenant.costCenters.delete(code);
      return noContent;
    },
  },
];
