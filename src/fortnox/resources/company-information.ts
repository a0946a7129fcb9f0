import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { looseString } from '../wire.js';

export const companyInformationSchema = z.looseObject({
  CompanyName: looseString,
  OrganizationNumber: looseString,
  /** The company's Fortnox TenantId (needed for client credentials). */
  DatabaseNumber: looseString,
  CountryCode: looseString,
});
export type CompanyInformation = z.infer<typeof companyInformationSchema>;

export function companyInformation(transport: FortnoxTransport) {
  return {
    async get(): Promise<CompanyInformation> {
      return (await transport.call('get', '/3/companyinformation', z.object({ CompanyInformation: companyInformationSchema }))).CompanyInformation;
    },
  };
}
