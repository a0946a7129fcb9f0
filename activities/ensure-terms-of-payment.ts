import { createOrReadBack } from '../src/fortnox/create-or-read-back.js';
import { isTermsOfPaymentConflict } from '../src/fortnox/resources/terms-of-payments.js';
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
      await createOrReadBack({
        create: () => fortnox.termsOfPayments.create({ Code: code, Description: `${days} dagar netto` }),
        readBack: () => fortnox.termsOfPayments.get(code),
        isConflict: isTermsOfPaymentConflict,
      });
      return { code, outcome: 'created' };
    } catch (error) {
      throw fortnoxFailure(error, `betalningsvillkoret ${days} dagar`);
    }
  };
}
