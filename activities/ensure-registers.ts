import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { ActivityDeps } from './deps.js';
import { ensureCostCentres } from './ensure-cost-centres.js';
import { ensureProject } from './ensure-project.js';
import { ensureTermsOfPayment } from './ensure-terms-of-payment.js';

export interface EnsureRegistersInput {
  tenant: string;
  /** Every cost centre the invoice uses (its default and its rows'), each with a description to create it. */
  costCentres: { code: string; description: string }[];
  project?: NonNullable<SummaInvoice['project']> | undefined;
  /** Terms of payment to find or create, when the invoice gives days rather than a due date. */
  termsOfPaymentDays?: number | undefined;
}

export interface EnsureRegistersResult {
  /** The Fortnox terms-of-payment code, when days were asked for. */
  termsOfPayment: string | undefined;
}

/**
 * Everything the invoice refers to, made to exist in Fortnox before it is created: cost centres, the project and
 * the terms of payment (one step: in a month-end export all three are usually known already, and one step costs
 * one round trip).
 */
export function ensureRegisters(deps: ActivityDeps) {
  const costCentres = ensureCostCentres(deps);
  const project = ensureProject(deps);
  const terms = ensureTermsOfPayment(deps);
  return async (input: EnsureRegistersInput): Promise<EnsureRegistersResult> => {
    if (input.costCentres.length > 0) await costCentres({ tenant: input.tenant, costCentres: input.costCentres });
    if (input.project !== undefined) await project({ tenant: input.tenant, project: input.project });
    const termsOfPayment = input.termsOfPaymentDays === undefined ? undefined : (await terms({ tenant: input.tenant, days: input.termsOfPaymentDays })).code;
    return { termsOfPayment };
  };
}
