// /3/accounts — reference/fortnox-api.md §4.6 and bas-accounts.md §2.1. Accounts belong to a financial year:
// `financialyear=<Id>` or `financialyeardate=YYYY-MM-DD` picks it, the year containing today is the default.
// Number cannot change on PUT ("even though the account number is writeable you can´t change the number"):
// a different Number in the body is ignored, as that wording suggests.
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { selectedFinancialYear } from '../lookups.js';
import type { SeedAccount } from '../seed.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = {
  Active: true,
  BalanceBroughtForward: 0,
  BalanceCarriedForward: 0,
  CostCenter: null,
  CostCenterSettings: 'ALLOWED',
  Description: '',
  Number: 0,
  OpeningQuantities: [],
  Project: null,
  ProjectSettings: 'ALLOWED',
  QuantitySettings: 'ALLOWED',
  QuantityUnit: null,
  SRU: null,
  TransactionInformation: null,
  TransactionInformationSettings: 'ALLOWED',
  VATCode: null,
  Year: 0,
};
const listKeys = ['@url', 'Active', 'BalanceBroughtForward', 'CostCenter', 'CostCenterSettings', 'Description', 'Number', 'Project', 'ProjectSettings', 'SRU', 'VATCode', 'Year'] as const;
const skipOnWrite = new Set(['Number']);

/** The record as a single GET answers it. */
export function renderAccount(context: { baseUrl: string }, account: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/accounts/${text(account.data, 'Number')}?financialyear=${text(account.data, 'Year')}`, ...account.data };
}

/** The chart of one financial year, created empty if the year has none yet. */
export function chartOf(tenant: TenantState, yearId: number): Map<number, Stored> {
  let chart = tenant.accounts.get(yearId);
  if (chart === undefined) {
    chart = new Map();
    tenant.accounts.set(yearId, chart);
  }
  return chart;
}

/** A stored account from the seed list. */
export function seededAccount(seed: SeedAccount, yearId: number, now: number): Stored {
  const data = copyJson(template);
  Object.assign(data, {
    Active: seed.active,
    CostCenterSettings: seed.costCenterSettings,
    Description: seed.description,
    Number: seed.number,
    SRU: seed.sru,
    VATCode: seed.vatCode,
    Year: yearId,
  });
  return { data, modifiedAt: now };
}

function accountNumber(context: ApiContext): number {
  const raw = context.params.Number ?? '';
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

function requireAccount(context: ApiContext): { chart: Map<number, Stored>; account: Stored; number: number } {
  const chart = chartOf(context.tenant, Number(selectedFinancialYear(context).data.Id));
  const number = accountNumber(context);
  const account = chart.get(number);
  if (account === undefined) throw notFound(FortnoxCode.accountNotFound, `Kunde inte hitta konto (${context.params.Number ?? ''})`);
  return { chart, account, number };
}

function list(context: ApiContext) {
  const yearId = Number(selectedFinancialYear(context).data.Id);
  return listResponse<Stored>(context, {
    key: 'Accounts',
    items: chartOf(context.tenant, yearId).values(),
    predicates: { sru: (a, value) => text(a.data, 'SRU') === value },
    sortBy: { number: (a) => Number(a.data.Number) },
    lastModified: (a) => a.modifiedAt,
    render: (a) => listItem(renderAccount(context, a), listKeys),
  });
}

export const accountRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/accounts', scope: 'bookkeeping', handle: list },
  {
    method: 'POST',
    template: '/3/accounts',
    scope: 'bookkeeping',
    handle: (context) => {
      const yearId = Number(selectedFinancialYear(context).data.Id);
      const chart = chartOf(context.tenant, yearId);
      const number = Number(context.body.Number);
      if (chart.has(number)) throw invalid(SandboxCode.accountTaken, `Konto ${number} finns redan i räkenskapsåret`);
      const data = copyJson(template);
      applyFields(data, context.body, template);
      data.Year = yearId;
      const account = { data, modifiedAt: context.now };
      chart.set(number, account);
      return created('Account', renderAccount(context, account), 'accounts');
    },
  },
  {
    method: 'GET',
    template: '/3/accounts/{Number}',
    scope: 'bookkeeping',
    handle: (context) => ok('Account', renderAccount(context, requireAccount(context).account)),
  },
  {
    method: 'PUT',
    template: '/3/accounts/{Number}',
    scope: 'bookkeeping',
    handle: (context) => {
      const { account } = requireAccount(context);
      applyFields(account.data, context.body, template, skipOnWrite);
      account.modifiedAt = context.now;
      return ok('Account', renderAccount(context, account));
    },
  },
  {
    method: 'DELETE',
    template: '/3/accounts/{Number}',
    scope: 'bookkeeping',
    handle: (context) => {
      const { chart, number } = requireAccount(context);
      chart.delete(number);
      return noContent;
    },
  },
];
