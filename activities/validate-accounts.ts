import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface ValidateAccountsInput {
  tenant: string;
  invoiceDate: string;
  /** Each row's account and cost centre (the row's own, else the invoice's default), in invoice order. */
  rows: { account: number; costCentre: string | undefined }[];
}

/**
 * Checks, before anything is written, that every account on the invoice exists and is active in the Fortnox
 * financial year of the invoice date, and has the cost centre it requires. One message names every problem with
 * its rows, so the person fixes everything in one go.
 */
export function validateAccounts(deps: ActivityDeps) {
  return async (input: ValidateAccountsInput): Promise<{ financialYearId: number }> => {
    const fortnox = deps.fortnoxFor(input.tenant);
    let year;
    let chart;
    try {
      year = await fortnox.financialYears.byDate(input.invoiceDate);
      chart = year === undefined ? [] : await fortnox.accounts.list(year.Id);
    } catch (error) {
      throw fortnoxFailure(error, 'kontoplanen');
    }
    if (year === undefined) {
      throw needsAttention(
        `Fortnox har inget räkenskapsår för fakturadatumet ${input.invoiceDate} — lägg upp räkenskapsåret i Fortnox eller ändra fakturadatumet i Summa och tryck Försök igen.`,
      );
    }
    const accounts = new Map(chart.map((account) => [account.Number, account]));
    const rowsByProblem = { missing: new Map<number, number[]>(), inactive: new Map<number, number[]>(), needsCostCentre: new Map<number, number[]>() };
    input.rows.forEach((row, index) => {
      const account = accounts.get(row.account);
      const problem =
        account === undefined ? 'missing' : account.Active === false ? 'inactive' : account.CostCenterSettings === 'MANDATORY' && row.costCentre === undefined ? 'needsCostCentre' : undefined;
      if (problem !== undefined) rowsByProblem[problem].set(row.account, [...(rowsByProblem[problem].get(row.account) ?? []), index + 1]);
    });
    const period = `räkenskapsåret ${year.FromDate}–${year.ToDate}`;
    const rowList = (rows: number[]) => `${rows.length === 1 ? 'rad' : 'rader'} ${rows.join(', ')}`;
    const problems = [
      ...[...rowsByProblem.missing].map(([account, rows]) => `konto ${account} finns inte i Fortnox ${period} (${rowList(rows)}) — lägg upp kontot`),
      ...[...rowsByProblem.inactive].map(([account, rows]) => `konto ${account} är inaktivt i Fortnox ${period} (${rowList(rows)}) — aktivera kontot`),
      ...[...rowsByProblem.needsCostCentre].map(
        ([account, rows]) => `konto ${account} kräver kostnadsställe i Fortnox (${rowList(rows)}) — ange kostnadsställe på raden i Summa`,
      ),
    ];
    if (problems.length > 0) {
      const [first, ...rest] = problems;
      const sentence = [`${first?.charAt(0).toUpperCase() ?? ''}${first?.slice(1) ?? ''}`, ...rest].join('; ');
      throw needsAttention(`${sentence}. Tryck sedan Försök igen.`, {
        missing: [...rowsByProblem.missing.keys()],
        inactive: [...rowsByProblem.inactive.keys()],
        needsCostCentre: [...rowsByProblem.needsCostCentre.keys()],
      });
    }
    return { financialYearId: year.Id };
  };
}
