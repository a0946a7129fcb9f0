import { createOrReadBack } from '../src/fortnox/create-or-read-back.js';
import { isCostCentreConflict } from '../src/fortnox/resources/cost-centres.js';
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
        const written = await createOrReadBack({
          create: () => fortnox.costCentres.create({ Code: code, Description: description }),
          readBack: () => fortnox.costCentres.get(code),
          isConflict: isCostCentreConflict,
        });
        existing.set(code, written.value);
        if (written.kind === 'created') created.push(code);
      }
      return { created };
    } catch (error) {
      throw fortnoxFailure(error, `kostnadsställena ${costCentres.map(({ code }) => code).join(', ')}`);
    }
  };
}
