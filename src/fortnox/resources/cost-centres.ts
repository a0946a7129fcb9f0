import { z } from 'zod';
import { FortnoxApiError } from '../errors.js';
import type { FortnoxTransport } from '../transport.js';
import { looseBoolean, looseString, validRequest } from '../wire.js';

/** A cost centre ("kostnadsställe") as we send it (`fortnox_CostCenter`). */
export const costCentreWriteSchema = z.strictObject({
  Code: z.string().min(1).max(6),
  Description: z.string().min(1),
  Note: z.string().optional(),
  Active: z.boolean().optional(),
});
export type CostCentreWrite = z.infer<typeof costCentreWriteSchema>;

export const costCentreSchema = z.looseObject({
  Code: z.coerce.string(),
  Description: looseString,
  Note: looseString,
  Active: looseBoolean,
});
export type CostCentre = z.infer<typeof costCentreSchema>;

const costCentreWrap = z.object({ CostCenter: costCentreSchema });

/**
 * How Fortnox refuses a cost centre that exists already: a 400 (its code for this is undocumented, so any 400). Read the
 * cost centre back to tell a duplicate from another refusal (createOrReadBack).
 */
export const isCostCentreConflict = (error: unknown): boolean => error instanceof FortnoxApiError && error.status === 400;

export function costCentres(transport: FortnoxTransport) {
  return {
    /** The cost centre, or undefined when there is none with that code. */
    async get(code: string): Promise<CostCentre | undefined> {
      return (await transport.find(`/3/costcenters/${encodeURIComponent(code)}`, costCentreWrap))?.CostCenter;
    },

    list(): Promise<CostCentre[]> {
      return transport.listAll('/3/costcenters', 'CostCenters', costCentreSchema);
    },

    async create(costCentre: CostCentreWrite): Promise<CostCentre> {
      const body = { CostCenter: validRequest('POST /3/costcenters', costCentreWriteSchema, costCentre) };
      return (await transport.call('post', '/3/costcenters', costCentreWrap, { body })).CostCenter;
    },
  };
}
