import type { CustomerWrite } from '../fortnox/resources/customers.js';
import type { SummaInvoice } from '../summa/invoice-contract.js';

type SummaCustomer = SummaInvoice['customer'];

/**
 * The Fortnox customer for a Summa customer, every field Summa owns (Summa creates or updates the customer on every
 * transfer). `CustomerNumber` is left to the caller: it is the key, not a field to update.
 */
export function toFortnoxCustomer(customer: SummaCustomer): Omit<CustomerWrite, 'CustomerNumber'> {
  return withoutUndefined({
    Name: customer.name,
    OrganisationNumber: customer.organisationNumber,
    Type: customer.type,
    VATType: customer.vatType,
    // Sent as it is validated: without spaces, in capitals (SE 556123456701 → SE556123456701).
    VATNumber: customer.vatNumber?.replace(/\s/g, '').toUpperCase(),
    Address1: customer.address1,
    Address2: customer.address2,
    ZipCode: customer.zipCode,
    City: customer.city,
    CountryCode: customer.countryCode,
    Email: customer.email,
    EmailInvoice: customer.invoiceEmail,
    Phone1: customer.phone,
  });
}

/** Drops undefined fields: Fortnox PUT is a partial update, and `exactOptionalPropertyTypes` wants them gone. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
