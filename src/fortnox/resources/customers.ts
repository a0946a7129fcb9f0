import { z } from 'zod';
import { FortnoxApiError } from '../errors.js';
import type { FortnoxTransport } from '../transport.js';
import { looseBoolean, looseNumber, looseString, text, validRequest } from '../wire.js';

export const customerTypes = ['PRIVATE', 'COMPANY'] as const;
export const customerVatTypes = ['SEVAT', 'SEREVERSEDVAT', 'EUREVERSEDVAT', 'EUVAT', 'EXPORT'] as const;

/**
 * A customer as we send it (`fortnox_Customer` in the OpenAPI file, limits from there). Strict: an unknown field is
 * a bug on our side, and Fortnox would answer 2001399 anyway. Read-only fields such as `Country` are left out.
 */
export const customerWriteSchema = z.strictObject({
  // "Only alpha numeric characters, with the addition of – + / and _" (Fortnox's customer docs).
  CustomerNumber: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[\p{L}\p{N}\-+/_–]+$/u, 'letters, digits and - + / _ only')
    .optional(),
  Name: z.string().min(1).max(1024),
  OrganisationNumber: text(30).optional(),
  Type: z.enum(customerTypes).optional(),
  VATType: z.enum(customerVatTypes).optional(),
  VATNumber: text(1024).optional(),
  Address1: z.string().min(1).max(1024).optional(),
  Address2: text(1024).optional(),
  ZipCode: text(10).optional(),
  City: text(1024).optional(),
  CountryCode: z.string().length(2).optional(),
  Email: text(1024).optional(),
  EmailInvoice: text(1024).optional(),
  Phone1: text(1024).optional(),
  YourReference: text(50).optional(),
  OurReference: text(50).optional(),
  Currency: z.string().length(3).optional(),
  TermsOfPayment: text(1024).optional(),
  DeliveryName: text(1024).optional(),
  DeliveryAddress1: text(1024).optional(),
  DeliveryAddress2: text(1024).optional(),
  DeliveryZipCode: text(10).optional(),
  DeliveryCity: text(1024).optional(),
  DeliveryCountryCode: z.string().length(2).optional(),
  Active: z.boolean().optional(),
  // Our own reference for the customer (Summa's customer id), ≤1024 in the OpenAPI file.
  ExternalReference: text(1024).optional(),
  // Predefined values for the customer's invoices: Fortnox fills AdministrationFee, Freight and VATIncluded from
  // them when an invoice leaves them out. The file types the two amounts as strings; a live create sent numbers
  // (50.0, 25.0) and got numbers back ([VCR-26] customers/save_new_fully_populated.yml), so we send numbers.
  ShowPriceVATIncluded: z.boolean().optional(),
  InvoiceAdministrationFee: z.number().min(0).optional(),
  InvoiceFreight: z.number().min(0).optional(),
});
export type CustomerWrite = z.infer<typeof customerWriteSchema>;

/** Fortnox's magic string that clears a text field on update; "" leaves the field as it is (fortnox-api.md §4.0). */
export const API_BLANK = 'API_BLANK';
const clearable = <S extends z.ZodType<string | undefined>>(schema: S) => z.union([z.literal(API_BLANK), schema]);

/**
 * A partial update (`PUT /3/customers/{CustomerNumber}`): only the fields given change, and the optional text fields
 * may be {@link API_BLANK} to clear them. Name cannot be cleared (Fortnox requires it), nor the enums.
 */
export const customerUpdateSchema = customerWriteSchema
  .omit({ CustomerNumber: true })
  .partial()
  .extend({
    OrganisationNumber: clearable(text(30)).optional(),
    VATNumber: clearable(text(1024)).optional(),
    Address1: clearable(z.string().min(1).max(1024)).optional(),
    Address2: clearable(text(1024)).optional(),
    ZipCode: clearable(text(10)).optional(),
    City: clearable(text(1024)).optional(),
    CountryCode: clearable(z.string().length(2)).optional(),
    Email: clearable(text(1024)).optional(),
    EmailInvoice: clearable(text(1024)).optional(),
    Phone1: clearable(text(1024)).optional(),
    YourReference: clearable(text(50)).optional(),
    OurReference: clearable(text(50)).optional(),
    TermsOfPayment: clearable(text(1024)).optional(),
    DeliveryName: clearable(text(1024)).optional(),
    DeliveryAddress1: clearable(text(1024)).optional(),
    DeliveryAddress2: clearable(text(1024)).optional(),
    DeliveryZipCode: clearable(text(10)).optional(),
    DeliveryCity: clearable(text(1024)).optional(),
    DeliveryCountryCode: clearable(z.string().length(2)).optional(),
    ExternalReference: clearable(text(1024)).optional(),
  });
export type CustomerUpdate = z.infer<typeof customerUpdateSchema>;

/**
 * An organisation (or personal identity) number's last ten digits, however it is written (`556677-8899`,
 * `5566778899`, `16556677-8899`): how two spellings of one number compare.
 */
export const organisationNumberDigits = (value: string | undefined): string => (value ?? '').replace(/\D/g, '').slice(-10);

/** A customer as Fortnox returns it; lenient, and keeping fields we do not model. */
export const customerSchema = z.looseObject({
  CustomerNumber: z.coerce.string(),
  Name: looseString,
  OrganisationNumber: looseString,
  Type: looseString,
  VATType: looseString,
  VATNumber: looseString,
  Address1: looseString,
  Address2: looseString,
  ZipCode: looseString,
  City: looseString,
  CountryCode: looseString,
  Country: looseString,
  Email: looseString,
  EmailInvoice: looseString,
  Phone1: looseString,
  Currency: looseString,
  TermsOfPayment: looseString,
  Active: looseBoolean,
  ExternalReference: looseString,
  ShowPriceVATIncluded: looseBoolean,
  InvoiceAdministrationFee: looseNumber,
  InvoiceFreight: looseNumber,
});
export type Customer = z.infer<typeof customerSchema>;

/** A customer in a list: a subset of the fields (`fortnox_CustomerListItem`). */
export const customerListItemSchema = z.looseObject({
  CustomerNumber: z.coerce.string(),
  Name: looseString,
  OrganisationNumber: looseString,
  Email: looseString,
  Address1: looseString,
  City: looseString,
  ZipCode: looseString,
});
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

const customerWrap = z.object({ Customer: customerSchema });

export interface CustomerSearch {
  customernumber?: string;
  organisationnumber?: string;
  name?: string;
  email?: string;
  filter?: 'active' | 'inactive';
}

/**
 * How Fortnox refuses a customer number that is taken: 2000637 "Kundnummer … används redan" (documented; also for
 * the number of a deleted customer, which then reads back as not found).
 */
export const isCustomerNumberConflict = (error: unknown): boolean => error instanceof FortnoxApiError && error.code === 2000637;

export function customers(transport: FortnoxTransport) {
  return {
    /** The customer, or undefined when Fortnox has none with that number. */
    async get(customerNumber: string): Promise<Customer | undefined> {
      return (await transport.find(`/3/customers/${encodeURIComponent(customerNumber)}`, customerWrap))?.Customer;
    },

    /** Every customer matching the search, all pages. Fortnox matches substrings: compare exactly on your side. */
    search(search: CustomerSearch): Promise<CustomerListItem[]> {
      return transport.listAll('/3/customers', 'Customers', customerListItemSchema, { ...search });
    },

    /**
     * Customers whose organisation (or personal identity) number is `organisationNumber`, however either side
     * writes it (`556677-8899`, `5566778899`, `16556677-8899`). Fortnox only matches substrings, so the search uses
     * six digits every spelling contains and the comparison of the last ten digits happens here.
     */
    async findByOrganisationNumber(organisationNumber: string): Promise<CustomerListItem[]> {
      const digits = organisationNumberDigits(organisationNumber);
      const query = digits.length === 10 ? digits.slice(0, 6) : organisationNumber;
      const candidates = await this.search({ organisationnumber: query });
      return candidates.filter((customer) =>
        digits.length === 10 ? organisationNumberDigits(customer.OrganisationNumber) === digits : customer.OrganisationNumber === organisationNumber,
      );
    },

    async create(customer: CustomerWrite): Promise<Customer> {
      const body = { Customer: validRequest('POST /3/customers', customerWriteSchema, customer) };
      return (await transport.call('post', '/3/customers', customerWrap, { body })).Customer;
    },

    /** Partial update: only the fields given change (Fortnox PUT semantics); {@link API_BLANK} clears a text field. */
    async update(customerNumber: string, changes: CustomerUpdate): Promise<Customer> {
      const body = { Customer: validRequest('PUT /3/customers', customerUpdateSchema, changes) };
      return (await transport.call('put', `/3/customers/${encodeURIComponent(customerNumber)}`, customerWrap, { body })).Customer;
    },
  };
}
