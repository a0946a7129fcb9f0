// /3/companyinformation — fortnox_CompanyInfo. DatabaseNumber is the company's Fortnox database number, which
// is the TenantId the client-credentials flow needs (reference/fortnox-api.md §1.3).
import { ok, type ApiRoute } from '../api.js';

export const companyInformationRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    template: '/3/companyinformation',
    scope: 'companyinformation',
    handle: (context) => ok('CompanyInformation', { ...context.tenant.company, DatabaseNumber: Number(context.tenant.id) }),
  },
];
