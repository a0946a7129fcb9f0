import { FortnoxApiError } from '../src/fortnox/errors.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface EnsureCostCentresInput {
  tenant: string;
  costCentres: { code: string; description: string }[];
}

/**
 * Makes sure every cost centre the invoice uses exists in Fortnox, creating missing ones (Summa's users expect
 * them created automatically). The register is read once per tenant and process, then kept up to date. An inactive one needs a person: Fortnox would refuse the invoice.
 */
export function ensureCostCentres(deps: ActivityDeps) {
  return async ({ tenant, costCentres }: EnsureCostCentresInput): Promise<{ created: string[] }> => {
    const fortnox = deps.fortnoxFor(tenant);
    const cache = deps.cacheFor(tenant);
    const created: string[] = [];
    const load = () => cache.memo('costCentres', async () => new Map((await fortnox.costCentres.list()).map((costCentre) => [costCentre.Code, costCentre])));
    try {
      let existing = await load();
      if (costCentres.some(({ code }) => existing.get(code)?.Active === false)) {
        // Perhaps activated since we looked: ask Fortnox again before asking a person.
        cache.invalidate('costCentres');
        existing = await load();
      }
      const inactive = costCentres.filter(({ code }) => existing.get(code)?.Active === false).map(({ code }) => code);
      if (inactive.length > 0) {
        throw needsAttention(
          `Kostnadsställe ${inactive.join(', ')} är inaktivt i Fortnox — aktivera det i Fortnox eller byt kostnadsställe i Summa och tryck Försök igen.`,
        );
      }
      for (const { code, description } of costCentres.filter(({ code }) => !existing.has(code))) {
        try {
          const costCentre = await fortnox.costCentres.create({ Code: code, Description: description });
          existing.set(code, costCentre);
          created.push(code);
        } catch (error) {
          // Created meanwhile (a concurrent transfer, or our own attempt whose answer was lost): that is success.
          const found = error instanceof FortnoxApiError && error.status === 400 ? await fortnox.costCentres.get(code) : undefined;
          if (found === undefined) throw error;
          existing.set(code, found);
        }
      }
      return { created };
    } catch (error) {
      throw fortnoxFailure(error, `kostnadsställena ${costCentres.map(({ code }) => code).join(', ')}`);
    }
  };
}
