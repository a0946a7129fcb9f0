// Checks that several resources share: a date's financial year, cost centres, projects, terms of payment,
// currencies.
// The messages are Fortnox's where known (reference/fortnox-api.md §3.3); see errors.ts for the codes.
import type { ApiContext } from './api.js';
import { isIsoDate } from './dates.js';
import { FortnoxCode, invalid, SandboxCode } from './errors.js';
import { integerParameter } from './listing.js';
import { text, type Stored, type TenantState } from './state.js';

/** The financial year containing `date`, if the company has one. */
export function financialYearContaining(tenant: TenantState, date: string): Stored | undefined {
  for (const year of tenant.financialYears.values()) {
    if (text(year.data, 'FromDate') <= date && date <= text(year.data, 'ToDate')) return year;
  }
  return undefined;
}

/** The financial year of a document date, or 400 naming the date and the field. */
export function requireFinancialYear(tenant: TenantState, date: string, field: string): Stored {
  const year = financialYearContaining(tenant, date);
  if (year === undefined) throw invalid(SandboxCode.noFinancialYear, `Det finns inget räkenskapsår för datumet ${date} (${field})`);
  return year;
}

/**
 * The financial year a request addresses: `financialyear=<Id>` or `financialyeardate=YYYY-MM-DD`, else the
 * year containing today (Fortnox's "current year").
 */
export function selectedFinancialYear(context: ApiContext): Stored {
  const { tenant, query } = context;
  const id = integerParameter(context, 'financialyear', 1);
  if (id !== undefined) {
    const year = tenant.financialYears.get(id);
    if (year === undefined) throw invalid(SandboxCode.financialYearNotFound, `Kan inte hitta räkenskapsåret (financialyear=${id})`);
    return year;
  }
  const date = query.get('financialyeardate') ?? context.today;
  if (!isIsoDate(date)) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (financialyeardate=${date})`);
  return requireFinancialYear(tenant, date, 'financialyeardate');
}

/** A cost centre that exists and is active, or Fortnox's error for it. */
export function requireActiveCostCentre(tenant: TenantState, code: string): void {
  const costCentre = tenant.costCenters.get(code);
  if (costCentre === undefined) throw invalid(SandboxCode.costCentreNotFound, `Kunde inte hitta kostnadsställe "${code}"`);
  if (costCentre.data.Active === false) throw invalid(FortnoxCode.costCentreInactive, `Kostnadsställe "${code}" är inte aktivt`);
}

/** A project that exists, or Fortnox's 2001161. */
export function requireProject(tenant: TenantState, projectNumber: string): void {
  if (!tenant.projects.has(projectNumber)) throw invalid(FortnoxCode.projectNotFound, 'Kan inte hitta projektet.');
}

/** The days of a terms-of-payment code, or 400. Fortnox upper-cases the codes ("30days" → "30DAYS"). */
export function requireTermsOfPayment(tenant: TenantState, code: string): number {
  const terms = tenant.termsOfPayments.get(code.toUpperCase());
  if (terms === undefined) throw invalid(FortnoxCode.termsOfPaymentNotFound, `Kan inte hitta betalningsvillkoret "${code}"`);
  return terms.days;
}

/** A currency the company has set up, or 400 (the code is the sandbox's, errors.ts). */
export function requireCurrency(tenant: TenantState, code: string): Stored {
  const currency = tenant.currencies.get(code.toUpperCase());
  if (currency === undefined) throw invalid(SandboxCode.currencyNotFound, `Kunde inte hitta valuta "${code}"`);
  return currency;
}
