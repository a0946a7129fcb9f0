// The set of sandbox tenants: each built from the seed (seed.ts) for "today", resettable, with the consent flag
// that /sandbox/tenants/<id>/revoke and /consent switch.
import { addDays, yearOf } from './dates.js';
import { createCostCentre } from './resources/cost-centres.js';
import { createCurrency } from './resources/currencies.js';
import { createCustomer } from './resources/customers.js';
import { chartOf, seededAccount } from './resources/accounts.js';
import { createFinancialYear } from './resources/financial-years.js';
import { createProject } from './resources/projects.js';
import { createTermsOfPayment } from './resources/terms-of-payments.js';
import { createUnit } from './resources/units.js';
import {
  seedAccounts,
  seedCompany,
  seedCostCenters,
  seedCurrencies,
  seedCustomers,
  seedProjects,
  seedTermsOfPayments,
  seedUnits,
  seedVatRates,
} from './seed.js';
import type { TenantState } from './state.js';

/** A Fortnox TenantId: the company's database number, digits only. */
export const tenantIdPattern = /^\d{1,12}$/;

/**
 * A tenant as seeded for `today`: financial years for the previous and the current calendar year (ids 1 and 2),
 * the chart in both, terms of payment, units, currencies, cost centres, projects and customers.
 */
export function seedTenant(id: string, today: string, now: number): TenantState {
  const tenant: TenantState = {
    id,
    company: { ...seedCompany },
    invoiceSettings: { administrationFee: 0, freight: 0, vatIncluded: false },
    customers: new Map(),
    usedCustomerNumbers: new Set(),
    invoices: new Map(),
    invoicePayments: new Map(),
    costCenters: new Map(),
    projects: new Map(),
    financialYears: new Map(),
    accounts: new Map(),
    termsOfPayments: new Map(),
    currencies: new Map(),
    sends: [],
    units: new Map(),
    vatRates: new Set(seedVatRates),
    counters: { customerNumber: 1, documentNumber: 1, projectNumber: 1, rowId: 1, financialYearId: 1, voucherNumber: {}, paymentNumber: 1, paymentVoucherNumber: {} },
  };
  const year = yearOf(today);
  for (const calendarYear of [year - 1, year]) {
    const financialYear = createFinancialYear(tenant, { FromDate: `${calendarYear}-01-01`, ToDate: addDays(`${calendarYear + 1}-01-01`, -1) }, now);
    const chart = chartOf(tenant, Number(financialYear.data.Id));
    if (chart.size > 0) continue; // copied from the year before
    for (const account of seedAccounts) chart.set(account.number, seededAccount(account, Number(financialYear.data.Id), now));
  }
  for (const terms of seedTermsOfPayments) createTermsOfPayment(tenant, terms, now);
  for (const unit of seedUnits) createUnit(tenant, unit, now);
  for (const currency of seedCurrencies) createCurrency(tenant, currency, now, today);
  for (const costCentre of seedCostCenters) createCostCentre(tenant, costCentre, now);
  for (const project of seedProjects) createProject(tenant, project, now);
  for (const customer of seedCustomers) createCustomer(tenant, customer, now);
  return tenant;
}

export class Tenants {
  private readonly tenants = new Map<string, TenantState>();
  private readonly revoked = new Set<string>();

  constructor(
    ids: readonly string[],
    private readonly today: () => string,
  ) {
    for (const id of ids) this.add(id);
  }

  /** Tenant ids in the order they were added. */
  ids(): string[] {
    return [...this.tenants.keys()];
  }

  get(id: string): TenantState | undefined {
    return this.tenants.get(id);
  }

  has(id: string): boolean {
    return this.tenants.has(id);
  }

  add(id: string): TenantState {
    const tenant = seedTenant(id, this.today(), Date.now());
    this.tenants.set(id, tenant);
    return tenant;
  }

  /** Every tenant back to its seed, consent given again. */
  reset(): void {
    for (const id of this.tenants.keys()) this.add(id);
    this.revoked.clear();
  }

  /** Whether the company's consent for the integration stands (it is revoked only through the control API). */
  hasConsent(id: string): boolean {
    return this.tenants.has(id) && !this.revoked.has(id);
  }

  revokeConsent(id: string): void {
    this.revoked.add(id);
  }

  restoreConsent(id: string): void {
    this.revoked.delete(id);
  }
}
