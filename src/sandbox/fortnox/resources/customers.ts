// /3/customers — reference/fortnox-api.md §4.1. Defaults are those of a recorded create from
// {"Customer":{"Name":"A value"}} ([VCR-23] customers/save_new.yml): Type COMPANY, VATType SEVAT, Currency SEK,
// PriceList A, Active true, TermsOfPayment "", unset fields null, e-mail fields "".
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { countryName } from '../countries.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { requireActiveCostCentre, requireProject, requireTermsOfPayment } from '../lookups.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = {
  Active: true,
  Address1: null,
  Address2: null,
  City: null,
  Comments: null,
  CostCenter: null,
  Country: null,
  CountryCode: null,
  Currency: 'SEK',
  CustomerNumber: '',
  DefaultDeliveryTypes: { Invoice: 'PRINT', Order: 'PRINT', Offer: 'PRINT' },
  DefaultTemplates: { Order: 'DEFAULTTEMPLATE', Offer: 'DEFAULTTEMPLATE', Invoice: 'DEFAULTTEMPLATE', CashInvoice: 'DEFAULTTEMPLATE' },
  DeliveryAddress1: null,
  DeliveryAddress2: null,
  DeliveryCity: null,
  DeliveryCountry: null,
  DeliveryCountryCode: null,
  DeliveryFax: null,
  DeliveryName: null,
  DeliveryPhone1: null,
  DeliveryPhone2: null,
  DeliveryZipCode: null,
  Email: '',
  EmailInvoice: '',
  EmailInvoiceBCC: '',
  EmailInvoiceCC: '',
  EmailOffer: '',
  EmailOfferBCC: '',
  EmailOfferCC: '',
  EmailOrder: '',
  EmailOrderBCC: '',
  EmailOrderCC: '',
  ExternalReference: null,
  Fax: null,
  GLN: null,
  GLNDelivery: null,
  InvoiceAdministrationFee: null,
  InvoiceDiscount: null,
  InvoiceFreight: null,
  InvoiceRemark: '',
  Name: '',
  OrganisationNumber: '',
  OurReference: '',
  Phone1: null,
  Phone2: null,
  PriceList: 'A',
  Project: '',
  SalesAccount: null,
  ShowPriceVATIncluded: false,
  TermsOfDelivery: '',
  TermsOfPayment: '',
  Type: 'COMPANY',
  VATNumber: '',
  VATType: 'SEVAT',
  VisitingAddress: null,
  VisitingCity: null,
  VisitingCountry: null,
  VisitingCountryCode: null,
  VisitingZipCode: null,
  WayOfDelivery: '',
  WWW: '',
  YourReference: '',
  ZipCode: null,
};

const listKeys = ['@url', 'Address1', 'Address2', 'City', 'CustomerNumber', 'Email', 'Name', 'OrganisationNumber', 'Phone', 'ZipCode'] as const;

/** "Only alpha numeric characters, with the addition of – + / and _, are allowed" ([STANDOUT] CustomerCustomer.md). */
const customerNumberPattern = /^[\p{L}\p{N}\-–+/_]+$/u;

/** Country fields derived from their code fields; Fortnox treats the names as read-only. */
const derivedCountries = [
  ['CountryCode', 'Country'],
  ['DeliveryCountryCode', 'DeliveryCountry'],
  ['VisitingCountryCode', 'VisitingCountry'],
] as const;

function url(context: { baseUrl: string }, customerNumber: string): string {
  return `${context.baseUrl}/3/customers/${encodeURIComponent(customerNumber)}`;
}

/** The record as a single GET answers it. */
export function renderCustomer(context: { baseUrl: string }, customer: Stored): WireObject {
  return { '@url': url(context, text(customer.data, 'CustomerNumber')), ...customer.data };
}

function requireCustomer(tenant: TenantState, customerNumber: string): Stored {
  const customer = tenant.customers.get(customerNumber);
  if (customer === undefined) throw notFound(FortnoxCode.customerNotFound, 'Kan inte hitta kunden.');
  return customer;
}

/** Business rules on the fields a request sets; the spec check has already run. */
function checkReferences(tenant: TenantState, input: Record<string, unknown>): void {
  for (const [codeField] of derivedCountries) {
    const code = givenString(input, codeField);
    if (code !== undefined && code !== 'API_BLANK' && countryName(code) === undefined) {
      throw invalid(SandboxCode.invalidCountryCode, `Ogiltig landskod "${code}" (${codeField})`);
    }
  }
  const terms = givenString(input, 'TermsOfPayment');
  if (terms !== undefined && terms !== 'API_BLANK') requireTermsOfPayment(tenant, terms);
  const costCentre = givenString(input, 'CostCenter');
  if (costCentre !== undefined && costCentre !== 'API_BLANK') requireActiveCostCentre(tenant, costCentre);
  const project = givenString(input, 'Project');
  if (project !== undefined && project !== 'API_BLANK') requireProject(tenant, project);
}

function write(target: WireObject, input: Record<string, unknown>): void {
  applyFields(target, input, template);
  const terms = givenString(input, 'TermsOfPayment');
  if (terms !== undefined && terms !== 'API_BLANK') target.TermsOfPayment = terms.toUpperCase();
  for (const [codeField, nameField] of derivedCountries) {
    const code = target[codeField];
    if (typeof code === 'string' && code !== '') target[codeField] = code.toUpperCase();
    target[nameField] = typeof code === 'string' && code !== '' ? (countryName(code) ?? null) : null;
  }
}

/** Creates a customer from a validated Customer object (a POST, or the seed). */
export function createCustomer(tenant: TenantState, input: Record<string, unknown>, now: number): Stored {
  checkReferences(tenant, input);
  let customerNumber = givenString(input, 'CustomerNumber');
  if (customerNumber !== undefined) {
    if (!customerNumberPattern.test(customerNumber)) throw invalid(FortnoxCode.notAlphanumeric, `Värdet måste vara alfanumeriskt (${customerNumber})`);
    if (tenant.usedCustomerNumbers.has(customerNumber)) {
      const deleted = !tenant.customers.has(customerNumber);
      throw invalid(
        FortnoxCode.customerNumberTaken,
        deleted ? `Kundnummer ${customerNumber} används redan. Kundnumret har redan använts men blivit raderat.` : `Kundnummer ${customerNumber} används redan.`,
      );
    }
  } else {
    while (tenant.usedCustomerNumbers.has(String(tenant.counters.customerNumber))) tenant.counters.customerNumber += 1;
    customerNumber = String(tenant.counters.customerNumber);
    tenant.counters.customerNumber += 1;
  }
  const data = copyJson(template);
  write(data, input);
  data.CustomerNumber = customerNumber;
  const customer = { data, modifiedAt: now };
  tenant.customers.set(customerNumber, customer);
  tenant.usedCustomerNumbers.add(customerNumber);
  return customer;
}

function list(context: ApiContext) {
  return listResponse<Stored>(context, {
    key: 'Customers',
    items: context.tenant.customers.values(),
    filters: { active: (c) => c.data.Active === true, inactive: (c) => c.data.Active !== true },
    search: {
      customernumber: (c) => c.data.CustomerNumber,
      name: (c) => c.data.Name,
      zipcode: (c) => c.data.ZipCode,
      city: (c) => c.data.City,
      email: (c) => c.data.Email,
      phone: (c) => `${text(c.data, 'Phone1')} ${text(c.data, 'Phone2')}`,
      organisationnumber: (c) => c.data.OrganisationNumber,
      gln: (c) => c.data.GLN,
      glndelivery: (c) => c.data.GLNDelivery,
    },
    sortBy: { customernumber: (c) => text(c.data, 'CustomerNumber'), name: (c) => text(c.data, 'Name') },
    lastModified: (c) => c.modifiedAt,
    render: (c) => listItem({ ...renderCustomer(context, c), Phone: c.data.Phone1 }, listKeys),
  });
}

export const customerRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/customers', scope: 'customer', handle: list },
  {
    method: 'POST',
    template: '/3/customers',
    scope: 'customer',
    handle: (context) => created('Customer', renderCustomer(context, createCustomer(context.tenant, context.body, context.now)), 'customers'),
  },
  {
    method: 'GET',
    template: '/3/customers/{CustomerNumber}',
    scope: 'customer',
    handle: (context) => ok('Customer', renderCustomer(context, requireCustomer(context.tenant, context.params.CustomerNumber ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/customers/{CustomerNumber}',
    scope: 'customer',
    handle: (context) => {
      const customerNumber = context.params.CustomerNumber ?? '';
      const customer = requireCustomer(context.tenant, customerNumber);
      const renumber = givenString(context.body, 'CustomerNumber');
      if (renumber !== undefined && renumber !== customerNumber) {
        throw invalid(SandboxCode.numberCannotChange, `Kundnumret kan inte ändras (${customerNumber} → ${renumber})`);
      }
      checkReferences(context.tenant, context.body);
      write(customer.data, context.body);
      customer.modifiedAt = context.now;
      return ok('Customer', renderCustomer(context, customer));
    },
  },
  {
    method: 'DELETE',
    template: '/3/customers/{CustomerNumber}',
    scope: 'customer',
    handle: (context) => {
      const customerNumber = context.params.CustomerNumber ?? '';
      requireCustomer(context.tenant, customerNumber);
      context.tenant.customers.delete(customerNumber); // the number stays in usedCustomerNumbers
      return noContent;
    },
  },
];
