import { describe, expect, it } from 'vitest';
import { checkRequestBody, listOperations, validateFortnoxRequestBody } from '../../src/sandbox/fortnox/openapi.js';

const paths = (result: ReturnType<typeof validateFortnoxRequestBody>) => (result.ok ? [] : result.problems.map((problem) => problem.path));
const messages = (result: ReturnType<typeof validateFortnoxRequestBody>) => (result.ok ? [] : result.problems.map((problem) => problem.message));

describe('validateFortnoxRequestBody against the official OpenAPI subset', () => {
  it('accepts a customer and an invoice as the client sends them', () => {
    expect(validateFortnoxRequestBody('POST', '/3/customers', { Customer: { Name: 'Åkessons Tryckeri AB', CountryCode: 'SE', VATType: 'SEVAT' } })).toEqual({ ok: true });
    const invoice = {
      Invoice: {
        CustomerNumber: '1',
        InvoiceDate: '2026-03-01',
        ExternalInvoiceReference1: 'SUMMA-1',
        InvoiceRows: [{ AccountNumber: 3001, DeliveredQuantity: 2, Price: 99.5, VAT: 25, Description: 'Broschyrer A4' }],
      },
    };
    expect(validateFortnoxRequestBody('POST', '/3/invoices', invoice)).toEqual({ ok: true });
  });

  it('reports unknown fields, prototype keys included, at every level', () => {
    const body = JSON.parse('{"Invoice":{"CustomerNumber":"1","Foo":1,"__proto__":{"x":1},"InvoiceRows":[{"constructor":"x"}]},"Extra":true}') as unknown;
    expect(paths(validateFortnoxRequestBody('POST', '/3/invoices', body)).sort()).toEqual(['Extra', 'Invoice.Foo', 'Invoice.InvoiceRows[0].constructor', 'Invoice.__proto__']);
  });

  it('reports read-only fields: in the response schema but not the payload, or named read-only by the sources', () => {
    expect(paths(validateFortnoxRequestBody('PUT', '/3/invoices/{DocumentNumber}', { Invoice: { Total: 219, Booked: false, InvoiceRows: [{ RowId: 1, Total: 5 }] } }))).toEqual([
      'Invoice.Total',
      'Invoice.Booked',
      'Invoice.InvoiceRows[0].Total',
    ]);
    expect(messages(validateFortnoxRequestBody('PUT', '/3/customers/{CustomerNumber}', { Customer: { Country: 'Sverige' } }))).toEqual([
      'Customer.Country is read-only; Fortnox ignores or rejects it (undocumented), so do not send it',
    ]);
  });

  it('drops read-only fields without a problem when the sandbox checks a request', () => {
    const check = checkRequestBody('PUT', '/3/invoices/{DocumentNumber}', { Invoice: { Total: 219, Comments: 'x' } }, { readOnly: 'ignore' });
    expect(check).toEqual({ problems: [], wrapper: 'Invoice', content: { Comments: 'x' } });
  });

  it('reports wrong types, null included, with the expected type', () => {
    const result = validateFortnoxRequestBody('POST', '/3/invoices', {
      Invoice: { CustomerNumber: 1, DueDate: null, VATIncluded: 'yes', InvoiceRows: [{ Price: '100', AccountNumber: 3001.5 }], Labels: {} },
    });
    expect(messages(result)).toEqual([
      'Invoice.CustomerNumber: expected a string, got 1',
      'Invoice.DueDate: expected a string, got null',
      'Invoice.VATIncluded: expected a boolean, got "yes"',
      'Invoice.InvoiceRows[0].Price: expected a number, got "100"',
      'Invoice.InvoiceRows[0].AccountNumber: expected an account number, or 0 for none, got 3001.5',
      'Invoice.Labels: expected an array, got {}',
    ]);
  });

  it('reports lengths, enums, ranges and dates', () => {
    const result = validateFortnoxRequestBody('POST', '/3/invoices', {
      Invoice: {
        CustomerNumber: '1',
        ExternalInvoiceReference1: 'x'.repeat(81),
        Language: 'DE',
        InvoiceDate: '2026-02-30',
        InvoiceRows: [{ AccountNumber: 999, Description: 'y'.repeat(256) }],
      },
    });
    expect(messages(result)).toEqual([
      'Invoice.ExternalInvoiceReference1: at most 80 characters, got 81',
      'Invoice.Language: must be one of SV, EN, got "DE"',
      'Invoice.InvoiceDate: expected a date YYYY-MM-DD, got "2026-02-30"',
      'Invoice.InvoiceRows[0].AccountNumber: at least 1000, got 999',
      'Invoice.InvoiceRows[0].Description: at most 255 characters, got 256',
    ]);
  });

  it('requires the required fields on POST but not on a partial PUT', () => {
    expect(messages(validateFortnoxRequestBody('POST', '/3/customers', { Customer: { City: 'Malmö' } }))).toEqual(['Customer.Name is required']);
    expect(messages(validateFortnoxRequestBody('POST', '/3/customers', { Customer: { Name: '' } }))).toEqual(['Customer.Name is required']);
    expect(validateFortnoxRequestBody('PUT', '/3/customers/{CustomerNumber}', { Customer: { City: 'Malmö' } })).toEqual({ ok: true });
  });

  it('lets "" (not provided) and "API_BLANK" (clear) past length, enum and date limits', () => {
    expect(validateFortnoxRequestBody('PUT', '/3/customers/{CustomerNumber}', { Customer: { CountryCode: '', VATType: 'API_BLANK', ZipCode: 'API_BLANK' } })).toEqual({ ok: true });
  });

  it('accepts the forms Fortnox accepts beyond its file: numeric DeliveredQuantity, SalesAccount and fees as numbers', () => {
    expect(validateFortnoxRequestBody('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ DeliveredQuantity: 1.125 }, { DeliveredQuantity: '2.5' }] } })).toEqual({ ok: true });
    expect(validateFortnoxRequestBody('POST', '/3/customers', { Customer: { Name: 'A', SalesAccount: 3001, InvoiceFreight: 25 } })).toEqual({ ok: true });
    expect(paths(validateFortnoxRequestBody('POST', '/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ DeliveredQuantity: 'två' }] } }))).toEqual([
      'Invoice.InvoiceRows[0].DeliveredQuantity',
    ]);
  });

  it('reports a missing or wrong wrapper', () => {
    expect(messages(validateFortnoxRequestBody('POST', '/3/customers', { Name: 'A' }))).toEqual(['missing the wrapper object Customer', 'unknown field Name (expected only Customer)']);
    expect(messages(validateFortnoxRequestBody('POST', '/3/customers', [{ Customer: { Name: 'A' } }]))).toEqual(['expected an object {"Customer": {...}}, got [{"Customer":{"Name":"A"}}]']);
    expect(messages(validateFortnoxRequestBody('POST', '/3/customers', { Customer: 'A' }))).toEqual(['Customer must be an object, got "A"']);
  });

  it('accepts 0 and API_BLANK as a row\'s "no account", which Fortnox takes although the file says 1000–9999', () => {
    const rows = (AccountNumber: unknown) => ({ Invoice: { CustomerNumber: '1', InvoiceRows: [{ AccountNumber, Description: 'Text' }] } });
    expect(validateFortnoxRequestBody('POST', '/3/invoices', rows(0))).toEqual({ ok: true });
    expect(validateFortnoxRequestBody('POST', '/3/invoices', rows('API_BLANK'))).toEqual({ ok: true });
    expect(messages(validateFortnoxRequestBody('POST', '/3/invoices', rows(1)))).toEqual(['Invoice.InvoiceRows[0].AccountNumber: at least 1000, got 1']);
    expect(messages(validateFortnoxRequestBody('POST', '/3/invoices', rows('3001')))).toEqual(['Invoice.InvoiceRows[0].AccountNumber: expected an account number, or 0 for none, got "3001"']);
  });

  it('knows which operations take no body and which are not in the subset', () => {
    expect(validateFortnoxRequestBody('PUT', '/3/invoices/{DocumentNumber}/bookkeep', null)).toEqual({ ok: true });
    expect(messages(validateFortnoxRequestBody('PUT', '/3/invoices/{DocumentNumber}/bookkeep', {}))).toEqual(['PUT /3/invoices/{DocumentNumber}/bookkeep takes no request body']);
    expect(messages(validateFortnoxRequestBody('POST', '/3/articles', {}))).toEqual(['POST /3/articles is not in the Fortnox OpenAPI subset']);
    expect(listOperations()).toContain('PUT /3/invoices/{DocumentNumber}/credit');
  });
});
