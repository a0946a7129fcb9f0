import type { ActivityDeps } from './deps.js';
import { fortnoxFailure } from './failures.js';

export interface EnsureTermsOfPaymentInput {
  tenant: string;
  days: number;
}

/**
 * The Fortnox terms-of-payment code for a number of days, created when the company has none, so Fortnox derives
 * the due date the print shop agreed. Fortnox's API carries no day count on terms (only Code and Description), so
 * the code is the number of days, as in Fortnox's own defaults "10", "15", "20", "30".
 */
export function ensureTermsOfPayment(deps: ActivityDeps) {
  return async ({ tenant, days }: EnsureTermsOfPaymentInput): Promise<{ code: string; outcome: 'existing' | 'created' }> => {
    const fortnox = deps.fortnoxFor(tenant);
    const cache = deps.cacheFor(tenant);
    const code = String(days);
    try {
      if ((await cache.memo(`terms:${code}`, () => fortnox.termsOfPayments.get(code))) !== undefined) return { code, outcome: 'existing' };
      cache.invalidate(`terms:${code}`);
      try {
        await fortnox.termsOfPayments.create({ Code: code, Description: `${days} dagar netto` });
      } catch (error) {
        // Created meanwhile, or by our own attempt whose answer was lost.
        if ((await fortnox.termsOfPayments.get(code)) === undefined) throw error;
      }
      return { code, outcome: 'created' };
    } catch (error) {
      throw fortnoxFailure(error, `betalningsvillkoret ${days} dagar`);
    }
  };
}
