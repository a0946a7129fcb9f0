import { API_BLANK, type CustomerUpdate, type CustomerWrite } from '../fortnox/resources/customers.js';
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

/**
 * The fields Summa owns that it may leave empty; an update clears them in Fortnox when Summa has (Fortnox keeps a
 * field an update leaves out, so a removed invoice e-mail would go on receiving invoices). The organisation number
 * (the customer's identity), name, type, VAT type and country are never cleared.
 */
const CLEARED_WHEN_EMPTY = ['VATNumber', 'Address1', 'Address2', 'ZipCode', 'City', 'Email', 'EmailInvoice', 'Phone1'] as const;

/** The update that makes an existing Fortnox customer Summa's: its fields, and `API_BLANK` for those Summa cleared. */
export function toFortnoxCustomerUpdate(customer: SummaCustomer): CustomerUpdate {
  const fields = toFortnoxCustomer(customer);
  const cleared = Object.fromEntries(CLEARED_WHEN_EMPTY.filter((field) => fields[field] === undefined).map((field) => [field, API_BLANK]));
  return { ...cleared, ...fields };
}

/** Drops undefined fields: Fortnox PUT is a partial update, and `exactOptionalPropertyTypes` wants them gone. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
