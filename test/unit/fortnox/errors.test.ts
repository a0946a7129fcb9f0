import { describe, expect, it } from 'vitest';
import {
  classifyFortnoxError,
  FortnoxApiError,
  FortnoxNetworkError,
  FortnoxRateLimitError,
  FortnoxReauthorisationRequiredError,
  FortnoxRequestInvalidError,
  FortnoxTimeoutError,
  FortnoxUnexpectedResponseError,
} from '../../../src/fortnox/errors.js';
import { parseErrorBody } from '../../../src/fortnox/http.js';

describe('parseErrorBody', () => {
  it('reads ErrorInformation with capitalised keys (404s)', () => {
    expect(parseErrorBody('{"ErrorInformation":{"Error":1,"Message":"Kan inte hitta kunden.","Code":2000433}}')).toMatchObject({
      code: 2000433,
      message: 'Kan inte hitta kunden.',
    });
  });

  it('reads ErrorInformation with lowercase keys and string codes (validation errors)', () => {
    expect(parseErrorBody('{"ErrorInformation":{"error":"1","message":"Ett ogiltigt filter har anv\\u00e4nts.","code":"2000587"}}')).toMatchObject({
      code: 2000587,
      message: 'Ett ogiltigt filter har använts.',
    });
  });

  it('reads the gateway and OAuth shapes and plain text', () => {
    expect(parseErrorBody('{"message":"unauthorized"}')).toMatchObject({ code: undefined, message: 'unauthorized' });
    expect(parseErrorBody('{"error":"invalid_grant","error_description":"Invalid refresh token"}')).toEqual({
      code: undefined,
      message: 'Invalid refresh token',
      oauthError: 'invalid_grant',
    });
    expect(parseErrorBody('<html>Bad gateway</html>').message).toBe('<html>Bad gateway</html>');
    expect(parseErrorBody('').message).toBeUndefined();
  });
});

describe('classifyFortnoxError', () => {
  const request = 'POST /3/invoices';
  it.each([
    ['a 429, with its delay', new FortnoxRateLimitError(request, 'Too Many Requests', 5_000), { kind: 'retryable', retryAfterMs: 5_000 }],
    ['a 500', new FortnoxApiError(request, 500, 1000003, 'System exception'), { kind: 'retryable' }],
    ['a 503', new FortnoxApiError(request, 503, undefined, 'Service Unavailable'), { kind: 'retryable' }],
    ['a dropped connection', new FortnoxNetworkError(request, { cause: new Error('socket hang up') }), { kind: 'retryable' }],
    ['a timeout', new FortnoxTimeoutError(request, 30_000), { kind: 'retryable' }],
    ['a garbled answer', new FortnoxUnexpectedResponseError(request, 'not JSON'), { kind: 'retryable' }],
    ['a validation error', new FortnoxApiError(request, 400, 2001304, 'Kunde inte hitta konto'), { kind: 'permanent' }],
    ['a not found', new FortnoxApiError(request, 404, 2000433, 'Kan inte hitta kunden.'), { kind: 'permanent' }],
    ['a request we refused to send', new FortnoxRequestInvalidError(request, [{ path: 'Name', message: 'required' }]), { kind: 'permanent' }],
    ['lost consent', new FortnoxReauthorisationRequiredError(request, 'acme', 'invalid_grant'), { kind: 'reauthorise' }],
  ])('treats %s as %j', (_, error, expected) => {
    expect(classifyFortnoxError(error)).toEqual(expected);
  });

  it('tells the operator who must re-authorise and how', () => {
    expect(new FortnoxReauthorisationRequiredError(request, 'acme', 'invalid_grant').message).toBe(
      'Fortnox needs to be re-authorised for tenant acme (invalid_grant). A Fortnox administrator of that company must approve the integration again: `npm run authorize -- --tenant acme`.',
    );
  });

  it('asks for a service account again when the tenant uses one', () => {
    expect(new FortnoxReauthorisationRequiredError(request, 'acme', 'invalid_client', true).message).toContain('`npm run authorize -- --tenant acme --service-account`');
  });
});
