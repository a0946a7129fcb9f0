// /3/financialyears — reference/fortnox-api.md §4.6, bas-accounts.md §4. The spec names the list filter
// `Date`; the older docs and the global parameters use `financialyeardate`, so both are accepted. A new year's
// chart is copied from the year before it ("från föregående år", legacy docs [F3]).
import { created, ok, type ApiContext, type ApiRoute } from '../api.js';
import { isIsoDate } from '../dates.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { copyJson } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';
import { chartOf } from './accounts.js';

const listKeys = ['@url', 'AccountChartType', 'AccountingMethod', 'FromDate', 'Id', 'ToDate'] as const;

/** The record as a single GET answers it. */
export function renderFinancialYear(context: { baseUrl: string }, year: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/financialyears/${text(year.data, 'Id')}`, ...year.data };
}

/**
 * Adds a financial year (FromDate..ToDate) with the chart of the latest year that ends before it, or 400 when it
 * overlaps an existing year.
 */
export function createFinancialYear(tenant: TenantState, input: { FromDate: string; ToDate: string; AccountChartType?: string; AccountingMethod?: string }, now: number): Stored {
  const { FromDate, ToDate } = input;
  if (ToDate < FromDate) throw invalid(SandboxCode.invalidDate, `Räkenskapsåret slutar före det börjar (${FromDate} – ${ToDate})`);
  for (const year of tenant.financialYears.values()) {
    if (FromDate <= text(year.data, 'ToDate') && text(year.data, 'FromDate') <= ToDate) {
      throw invalid(SandboxCode.financialYearOverlaps, `Räkenskapsåret ${FromDate} – ${ToDate} överlappar räkenskapsår ${text(year.data, 'Id')}`);
    }
  }
  const id = tenant.counters.financialYearId;
  tenant.counters.financialYearId += 1;
  const data: WireObject = {
    AccountChartType: input.AccountChartType ?? `BAS ${FromDate.slice(0, 4)}`,
    AccountingMethod: input.AccountingMethod ?? 'ACCRUAL',
    FromDate,
    Id: id,
    ToDate,
  };
  const year = { data, modifiedAt: now };
  const previous = [...tenant.financialYears.values()]
    .filter((y) => text(y.data, 'ToDate') < FromDate)
    .sort((a, b) => text(b.data, 'ToDate').localeCompare(text(a.data, 'ToDate')))[0];
  tenant.financialYears.set(id, year);
  const chart = chartOf(tenant, id);
  if (previous !== undefined) {
    for (const [number, account] of chartOf(tenant, Number(previous.data.Id))) {
      const copy = copyJson(account.data);
      Object.assign(copy, { Year: id, BalanceBroughtForward: 0, BalanceCarriedForward: 0 });
      chart.set(number, { data: copy, modifiedAt: now });
    }
  }
  return year;
}

function list(context: ApiContext) {
  const date = context.query.get('date') ?? context.query.get('financialyeardate');
  if (date !== undefined && !isIsoDate(date)) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (Date=${date})`);
  const years = [...context.tenant.financialYears.values()];
  return listResponse<Stored>(context, {
    key: 'FinancialYears',
    items: date === undefined ? years : years.filter((y) => text(y.data, 'FromDate') <= date && date <= text(y.data, 'ToDate')),
    sortBy: { id: (y) => Number(y.data.Id), fromdate: (y) => text(y.data, 'FromDate') },
    render: (y) => listItem(renderFinancialYear(context, y), listKeys),
  });
}

export const financialYearRoutes: readonly ApiRoute[] = [
  // `financialyeardate` is global; `financialyear` would select a year and means nothing here but is harmless.
  { method: 'GET', template: '/3/financialyears', scope: 'bookkeeping', handle: list },
  {
    method: 'POST',
    template: '/3/financialyears',
    scope: 'bookkeeping',
    handle: (context) => {
      const body = context.body as { FromDate: string; ToDate: string; AccountChartType?: string; AccountingMethod?: string };
      return created('FinancialYear', renderFinancialYear(context, createFinancialYear(context.tenant, body, context.now)), 'financialyears');
    },
  },
  {
    method: 'GET',
    template: '/3/financialyears/{Id}',
    scope: 'bookkeeping',
    handle: (context) => {
      const id = context.params.Id ?? '';
      const year = /^\d{1,9}$/.test(id) ? context.tenant.financialYears.get(Number(id)) : undefined;
      if (year === undefined) throw notFound(SandboxCode.financialYearNotFound, 'Kan inte hitta räkenskapsåret.');
      return ok('FinancialYear', renderFinancialYear(context, year));
    },
  },
];
