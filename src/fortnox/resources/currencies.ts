import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { looseBoolean, looseNumber, looseString } from '../wire.js';

/**
 * A currency the company has set up (`fortnox_Currency`). `SellRate` and `BuyRate` are SEK per `Unit` units of
 * the currency; Fortnox gives an invoice in this currency the sell rate unless the invoice says otherwise.
 */
export const currencySchema = z.looseObject({
  Code: z.coerce.string(),
  Description: looseString,
  SellRate: looseNumber,
  BuyRate: looseNumber,
  Unit: looseNumber,
  Date: looseString,
  IsAutomatic: looseBoolean,
});
export type Currency = z.infer<typeof currencySchema>;

const currencyWrap = z.object({ Currency: currencySchema });

export function currencies(transport: FortnoxTransport) {
  return {
    /** The currency, or undefined when the company has not set it up (an invoice in it would be refused). */
    async get(code: string): Promise<Currency | undefined> {
      return (await transport.find(`/3/currencies/${encodeURIComponent(code)}`, currencyWrap))?.Currency;
    },

    /** Every currency the company has set up, all pages. */
    list(): Promise<Currency[]> {
      return transport.listAll('/3/currencies', 'Currencies', currencySchema);
    },
  };
}
