import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { looseBoolean, looseNumber, looseString, validRequest } from '../wire.js';

/** An account of the chart of accounts in one financial year (`fortnox_AccountSingleItem`). */
export const accountSchema = z.looseObject({
  Number: z.coerce.number().int(),
  Description: looseString,
  Active: looseBoolean,
  VATCode: looseString,
  CostCenterSettings: looseString,
  ProjectSettings: looseString,
  Year: looseNumber,
});
export type Account = z.infer<typeof accountSchema>;

const accountWrap = z.object({ Account: accountSchema });

/** The account fields we change (`fortnox_AccountPayload`). */
export const accountWriteSchema = z.strictObject({
  Description: z.string().min(1).max(200).optional(),
  Active: z.boolean().optional(),
  CostCenterSettings: z.enum(['ALLOWED', 'MANDATORY', 'NOTALLOWED']).optional(),
  VATCode: z.string().optional(),
});
export type AccountWrite = z.infer<typeof accountWriteSchema>;

export function accounts(transport: FortnoxTransport) {
  return {
    /** The account in financial year `financialYearId`, or undefined when the chart has no such account. */
    async get(number: number, financialYearId: number): Promise<Account | undefined> {
      return (await transport.find(`/3/accounts/${number}`, accountWrap, { financialyear: financialYearId }))?.Account;
    },

    /** Changes an account of financial year `financialYearId`, e.g. `{ Active: true }`. */
    async update(number: number, financialYearId: number, changes: AccountWrite): Promise<Account> {
      const body = { Account: validRequest('PUT /3/accounts', accountWriteSchema, changes) };
      return (await transport.call('put', `/3/accounts/${number}`, accountWrap, { body, query: { financialyear: financialYearId } })).Account;
    },

    /** The whole chart of accounts of financial year `financialYearId`. */
    list(financialYearId: number): Promise<Account[]> {
      return transport.listAll('/3/accounts', 'Accounts', accountSchema, { financialyear: financialYearId });
    },
  };
}
