import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { looseString, text, validRequest } from '../wire.js';

/**
 * A unit of the company's unit register as we send it (`fortnox_Unit`: Code 1–20 characters and Description
 * 1–100 required, CodeEnglish ≤100). An invoice row's `Unit` must be one of these codes, or Fortnox refuses the
 * invoice with 2000432.
 */
export const unitWriteSchema = z.strictObject({
  Code: z.string().min(1).max(20),
  Description: z.string().min(1).max(100),
  CodeEnglish: text(100).optional(),
});
export type UnitWrite = z.infer<typeof unitWriteSchema>;

export const unitSchema = z.looseObject({
  Code: z.coerce.string(),
  Description: looseString,
  CodeEnglish: looseString,
});
export type Unit = z.infer<typeof unitSchema>;

const unitWrap = z.object({ Unit: unitSchema });

export function units(transport: FortnoxTransport) {
  return {
    /** The unit with that code, or undefined when the company has none. Codes are compared as written. */
    async get(code: string): Promise<Unit | undefined> {
      return (await transport.find(`/3/units/${encodeURIComponent(code)}`, unitWrap))?.Unit;
    },

    /** Every unit of the company, all pages. */
    list(): Promise<Unit[]> {
      return transport.listAll('/3/units', 'Units', unitSchema);
    },

    /** Adds a unit to the register; a code already in use is refused. */
    async create(unit: UnitWrite): Promise<Unit> {
      const body = { Unit: validRequest('POST /3/units', unitWriteSchema, unit) };
      return (await transport.call('post', '/3/units', unitWrap, { body })).Unit;
    },
  };
}
