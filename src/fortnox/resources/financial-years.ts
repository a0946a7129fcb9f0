import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { looseString } from '../wire.js';

export const financialYearSchema = z.looseObject({
  Id: z.coerce.number().int(),
  FromDate: z.string(),
  ToDate: z.string(),
  AccountingMethod: looseString,
});
export type FinancialYear = z.infer<typeof financialYearSchema>;

export function financialYears(transport: FortnoxTransport) {
  return {
    /** The financial year containing `date` (YYYY-MM-DD), or undefined when the company has none for it. */
    async byDate(date: string): Promise<FinancialYear | undefined> {
      // The OpenAPI file names the filter `Date`; older docs say `financialyeardate` (fortnox-api.md §4.6).
      const years = await transport.listAll('/3/financialyears', 'FinancialYears', financialYearSchema, { Date: date });
      return years.find((year) => year.FromDate <= date && date <= year.ToDate);
    },

    list(): Promise<FinancialYear[]> {
      return transport.listAll('/3/financialyears', 'FinancialYears', financialYearSchema);
    },
  };
}
