import { createOrReadBack } from '../src/fortnox/create-or-read-back.js';
import { FortnoxApiError } from '../src/fortnox/errors.js';
import { isCustomerNumberConflict, type CustomerListItem } from '../src/fortnox/resources/customers.js';
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
 * Creates or updates the invoice's customer in Fortnox: Summa owns customer data, so every transfer writes it,
 * except a write this process has just made with the same data. A customer with a number is written straight
 * away (Fortnox's customer numbers are read once per tenant); without one it is found by organisation number,
 * else by exact name. Safe to repeat: a retry after a lost answer finds the customer the first attempt created.
 */
export function upsertCustomer(deps: ActivityDeps) {
  return async ({ tenant, customer }: UpsertCustomerInput): Promise<UpsertCustomerResult> => {
    const fortnox = deps.fortnoxFor(tenant);
    const cache = deps.cacheFor(tenant);
    const wanted = toFortnoxCustomer(customer);
    const identity = customer.customerNumber ?? customer.organisationNumber ?? `name:${customer.name}`;
    const fingerprint = JSON.stringify(wanted);
    const written = `customer:${identity}`;
    const numbers = () => cache.memo('customerNumbers', async () => new Set((await fortnox.customers.search({})).map((item) => item.CustomerNumber)));
    const unchanged = cache.sameWrite(written, fingerprint);
    if (unchanged !== undefined) return { customerNumber: unchanged, outcome: 'unchanged' };
    try {
      let customerNumber = customer.customerNumber;
      let outcome: 'created' | 'updated';
      if (customerNumber !== undefined) {
        outcome = (await numbers()).has(customerNumber) ? await updateOrCreate(customerNumber) : await createOrUpdate(customerNumber);
      } else {
        const matches =
          customer.organisationNumber !== undefined
            ? await fortnox.customers.findByOrganisationNumber(customer.organisationNumber)
            : (await fortnox.customers.search({ name: customer.name })).filter((candidate) => candidate.Name === customer.name);
        customerNumber = single(matches, customer);
        if (customerNumber === undefined) {
          customerNumber = (await fortnox.customers.create(wanted)).CustomerNumber;
          outcome = 'created';
        } else {
          await fortnox.customers.update(customerNumber, wanted);
          outcome = 'updated';
        }
      }
      cache.recordWrite(written, fingerprint, customerNumber);
      return { customerNumber, outcome };
    } catch (error) {
      throw fortnoxFailure(error, `kunden ${customer.customerNumber ?? customer.name}`);
    }

    /** The customer is known to exist: update it; if it was deleted meanwhile (404), create it. */
    async function updateOrCreate(customerNumber: string): Promise<'updated' | 'created'> {
      try {
        await fortnox.customers.update(customerNumber, wanted);
        return 'updated';
      } catch (error) {
        if (!(error instanceof FortnoxApiError && error.status === 404)) throw error;
        await fortnox.customers.create({ ...wanted, CustomerNumber: customerNumber });
        cache.update<Set<string>>('customerNumbers', (set) => set.add(customerNumber));
        return 'created';
      }
    }

    /** The customer is not known: create it; if it exists after all (created elsewhere, or our lost answer), update. */
    async function createOrUpdate(customerNumber: string): Promise<'updated' | 'created'> {
      const written = await createOrReadBack({
        create: () => fortnox.customers.create({ ...wanted, CustomerNumber: customerNumber }),
        // Not found: the number belongs to a deleted customer, and the refusal stands.
        readBack: () => fortnox.customers.get(customerNumber),
        isConflict: isCustomerNumberConflict,
      });
      cache.update<Set<string>>('customerNumbers', (set) => set.add(customerNumber));
      if (written.kind === 'created') return 'created';
      await fortnox.customers.update(customerNumber, wanted);
      return 'updated';
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
