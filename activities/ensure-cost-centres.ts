import { FortnoxApiError } from '../src/fortnox/errors.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface EnsureCostCentresInput {
  tenant: string;
  costCentres: { code: string; description: string }[];
}

/**
 * Makes sure every cost centre the invoice uses exists in Fortnox, creating missing ones (Summa's users expect
 * them created automatically). An inactive one needs a person: Fortnox would refuse the invoice.
 */
export function ensureCostCentres(deps: ActivityDeps) {
  return async ({ tenant, costCentres }: EnsureCostCentresInput): Promise<{ created: string[] }> => {
    const fortnox = deps.fortnoxFor(tenant);
    const created: string[] = [];
    try {
      const existing = new Map((await fortnox.costCentres.list()).map((costCentre) => [costCentre.Code, costCentre]));
      const inactive = costCentres.filter(({ code }) => existing.get(code)?.Active === false).map(({ code }) => code);
      if (inactive.length > 0) {
        throw needsAttention(
          `Kostnadsställe ${inactive.join(', ')} är inaktivt i Fortnox — aktivera det i Fortnox eller byt kostnadsställe i Summa och tryck Försök igen.`,
        );
      }
      for (const { code, description } of costCentres.filter(({ code }) => !existing.has(code))) {
        try {
          await fortnox.costCentres.create({ Code: code, Description: description });
          created.push(code);
        } catch (error) {
          // Created meanwhile (a concurrent transfer, or our own attempt whose answer was lost): that is success.
          if (!(error instanceof FortnoxApiError && error.status === 400 && (await fortnox.costCentres.get(code)) !== undefined)) throw error;
        }
      }
      return { created };
    } catch (error) {
      throw fortnoxFailure(error, `kostnadsställena ${costCentres.map(({ code }) => code).join(', ')}`);
    }
  };
}
