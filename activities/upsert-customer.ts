import type { Customer, CustomerListItem } from '../src/fortnox/resources/customers.js';
import { toFortnoxCustomer } from '../src/mapping/customer.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface UpsertCustomerInput {
  tenant: string;
  customer: SummaInvoice['customer'];
}

export type UpsertCustomerResult = { customerNumber: string; outcome: 'created' | 'updated' | 'unchanged' };

/**
 * Creates or updates the invoice's customer in Fortnox (Summa owns customer data: every transfer writes it). The
 * customer is found by customer number when Summa has one, else by organisation number, else by exact name.
 * Safe to repeat: a retry after a lost answer finds the customer the first attempt created.
 */
export function upsertCustomer(deps: ActivityDeps) {
  return async ({ tenant, customer }: UpsertCustomerInput): Promise<UpsertCustomerResult> => {
    const fortnox = deps.fortnoxFor(tenant);
    const wanted = toFortnoxCustomer(customer);
    const what = `kunden ${customer.customerNumber ?? customer.name}`;
    try {
      let current: Customer | undefined;
      if (customer.customerNumber !== undefined) {
        current = await fortnox.customers.get(customer.customerNumber);
        if (current === undefined) {
          const created = await fortnox.customers.create({ ...wanted, CustomerNumber: customer.customerNumber });
          return { customerNumber: created.CustomerNumber, outcome: 'created' };
        }
      } else {
        const matches =
          customer.organisationNumber !== undefined
            ? await fortnox.customers.findByOrganisationNumber(customer.organisationNumber)
            : (await fortnox.customers.search({ name: customer.name })).filter((candidate) => candidate.Name === customer.name);
        const number = single(matches, customer);
        current = number === undefined ? undefined : await fortnox.customers.get(number);
        if (current === undefined) {
          const created = await fortnox.customers.create(wanted);
          return { customerNumber: created.CustomerNumber, outcome: 'created' };
        }
      }
      const existing: Record<string, unknown> = current;
      const changes = Object.fromEntries(Object.entries(wanted).filter(([field, value]) => existing[field] !== value)) as typeof wanted;
      if (Object.keys(changes).length === 0) return { customerNumber: current.CustomerNumber, outcome: 'unchanged' };
      await fortnox.customers.update(current.CustomerNumber, changes);
      return { customerNumber: current.CustomerNumber, outcome: 'updated' };
    } catch (error) {
      throw fortnoxFailure(error, what);
    }
  };
}

function single(matches: CustomerListItem[], customer: UpsertCustomerInput['customer']): string | undefined {
  if (matches.length <= 1) return matches[0]?.CustomerNumber;
  const key = customer.organisationNumber === undefined ? `namnet ${customer.name}` : `organisationsnummer ${customer.organisationNumber}`;
  throw needsAttention(
    `Flera kunder i Fortnox har ${key} (kundnummer ${matches.map((match) => match.CustomerNumber).join(', ')}) — ange kundnumret på kunden i Summa och tryck Försök igen.`,
  );
}
