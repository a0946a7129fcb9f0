import { createOrReadBack } from '../src/fortnox/create-or-read-back.js';
import { FortnoxApiError } from '../src/fortnox/errors.js';
import { isCustomerNumberConflict, organisationNumberDigits, type CustomerListItem } from '../src/fortnox/resources/customers.js';
import { toFortnoxCustomer, toFortnoxCustomerUpdate } from '../src/mapping/customer.js';
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
 * away (Fortnox's customer numbers are read once per tenant), unless the number is another company's; without one it
 * is found by organisation number, else by exact name (a private person by name and address). Safe to repeat: a
 * retry after a lost answer finds the customer the first attempt created.
 */
export function upsertCustomer(deps: ActivityDeps) {
  return async ({ tenant, customer }: UpsertCustomerInput): Promise<UpsertCustomerResult> => {
    const fortnox = deps.fortnoxFor(tenant);
    const cache = deps.cacheFor(tenant);
    const wanted = toFortnoxCustomer(customer);
    const update = toFortnoxCustomerUpdate(customer);
    const identity = customer.customerNumber ?? customer.organisationNumber ?? `name:${customer.name}`;
    const fingerprint = JSON.stringify(wanted);
    const written = `customer:${identity}`;
    // Fortnox's customers by number, with whose they are (name, organisation number): one listing per tenant.
    const known = () =>
      cache.memo(
        'customersByNumber',
        async () => new Map((await fortnox.customers.search({})).map((item): [string, Holder] => [item.CustomerNumber, { name: item.Name, organisationNumber: item.OrganisationNumber }])),
      );
    const remember = (customerNumber: string) =>
      cache.update<Map<string, Holder>>('customersByNumber', (map) => map.set(customerNumber, { name: wanted.Name, organisationNumber: wanted.OrganisationNumber }));
    const unchanged = cache.sameWrite(written, fingerprint);
    if (unchanged !== undefined) return { customerNumber: unchanged, outcome: 'unchanged' };
    try {
      let customerNumber = customer.customerNumber;
      let outcome: 'created' | 'updated';
      if (customerNumber !== undefined) {
        const holder = (await known()).get(customerNumber);
        if (holder !== undefined) refuseAnotherCompany(customerNumber, holder, customer);
        outcome = holder !== undefined ? await updateOrCreate(customerNumber) : await createOrUpdate(customerNumber);
      } else {
        const matches =
          customer.organisationNumber !== undefined
            ? await fortnox.customers.findByOrganisationNumber(customer.organisationNumber)
            : (await fortnox.customers.search({ name: customer.name })).filter((candidate) => candidate.Name === customer.name && samePerson(candidate, customer));
        customerNumber = single(matches, customer);
        if (customerNumber === undefined) {
          customerNumber = (await fortnox.customers.create(wanted)).CustomerNumber;
          outcome = 'created';
        } else {
          await fortnox.customers.update(customerNumber, update);
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
        await fortnox.customers.update(customerNumber, update);
        return 'updated';
      } catch (error) {
        if (!(error instanceof FortnoxApiError && error.status === 404)) throw error;
        await fortnox.customers.create({ ...wanted, CustomerNumber: customerNumber });
        remember(customerNumber);
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
      if (written.kind === 'created') {
        remember(customerNumber);
        return 'created';
      }
      // Made meanwhile: by this transfer's lost attempt or another of Summa's, or by someone else for another company.
      refuseAnotherCompany(customerNumber, { name: written.value.Name, organisationNumber: written.value.OrganisationNumber }, customer);
      remember(customerNumber);
      await fortnox.customers.update(customerNumber, update);
      return 'updated';
    }
  };
}

/** Whose a Fortnox customer number is. */
interface Holder {
  name: string | undefined;
  organisationNumber: string | undefined;
}


/**
 * Summa's customer number is already a Fortnox customer's: updated only if it is the same company — the same
 * organisation number when both sides have one, else the same name. Otherwise (customer number series that collide
 * at go-live) the Fortnox customer, with its ledger and e-invoice settings, is left alone and a person decides.
 */
function refuseAnotherCompany(customerNumber: string, holder: Holder, customer: UpsertCustomerInput['customer']): void {
  const [theirs, ours] = [organisationNumberDigits(holder.organisationNumber), organisationNumberDigits(customer.organisationNumber)];
  const same = theirs !== '' && ours !== '' ? theirs === ours : sameText(holder.name, customer.name);
  if (same) return;
  const who = (name: string | undefined, organisationNumber: string | undefined) => `${name ?? '(utan namn)'} (org.nr ${organisationNumber ?? 'saknas'})`;
  throw needsAttention(
    `Kundnummer ${customerNumber} tillhör i Fortnox ${who(holder.name, holder.organisationNumber)}, inte ${who(customer.name, customer.organisationNumber)} — integrationen skriver inte över en annan kund. Ge kunden ett annat kundnummer i Summa (eller inget, så numrerar Fortnox), eller rätta kunden i Fortnox om det är samma företag, och tryck Försök igen.`,
  );
}

const sameText = (a: string | undefined, b: string | undefined) => (a ?? '').trim().replace(/\s+/g, ' ').toLowerCase() === (b ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Without a number of any kind, a company is found by its exact name; a private person never by name alone (two
 * people called Anna Andersson are two customers): the street address, postcode and e-mail must be the same too, and
 * a person Summa sends none of them for is always created anew.
 */
function samePerson(candidate: CustomerListItem, customer: UpsertCustomerInput['customer']): boolean {
  if (customer.type !== 'PRIVATE') return true;
  if (customer.address1 === undefined && customer.zipCode === undefined && customer.email === undefined) return false;
  return sameText(candidate.Address1, customer.address1) && sameText(candidate.ZipCode, customer.zipCode) && sameText(candidate.Email, customer.email);
}

function single(matches: CustomerListItem[], customer: UpsertCustomerInput['customer']): string | undefined {
  if (matches.length <= 1) return matches[0]?.CustomerNumber;
  const key = customer.organisationNumber === undefined ? `namnet ${customer.name}` : `organisationsnummer ${customer.organisationNumber}`;
  throw needsAttention(
    `Flera kunder i Fortnox har ${key} (kundnummer ${matches.map((match) => match.CustomerNumber).join(', ')}) — ange kundnumret på kunden i Summa och tryck Försök igen.`,
  );
}
