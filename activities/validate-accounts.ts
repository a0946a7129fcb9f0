import type { Account } from '../src/fortnox/resources/accounts.js';
import { vatRateForCode, zeroRateCodeNames, zeroRateCodesFor } from '../src/mapping/vat-codes.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface ValidateAccountsInput {
  tenant: string;
  invoiceDate: string;
  /** Each row's account, VAT rate and cost centre (the row's own, else the invoice's default), in invoice order. */
  rows: { account: number; vatPercent: number; costCentre: string | undefined }[];
  /** VAT rates of the a-conto deductions, booked to the tenant's a-conto account. */
  acontoDeductionVats?: number[];
  /**
   * The customer's VAT type and what the invoice sells: a 0 % row's account must have the VAT code of that kind of
   * sale. Absent in transfers started before the check, which then check the rate only.
   */
  vatType?: string | undefined;
  supplyType?: 'goods' | 'services' | undefined;
}

type Problem = 'missing' | 'inactive' | 'needsCostCentre' | 'wrongVat' | 'wrongVatType';

/**
 * Checks, before anything is written, that every account on the invoice exists and is active in the Fortnox
 * financial year of the invoice date, has the cost centre it requires, and is set up for the row's VAT rate. One
 * message names every problem with its rows, so the person fixes everything in one go.
 */
export function validateAccounts(deps: ActivityDeps) {
  return async (input: ValidateAccountsInput): Promise<{ financialYearId: number }> => {
    const fortnox = deps.fortnoxFor(input.tenant);
    const cache = deps.cacheFor(input.tenant);
    const acontoAccount = deps.postingFor(input.tenant).acontoAccount;
    const lines = [
      ...input.rows.map((row, index) => ({ ...row, label: `rad ${index + 1}` })),
      ...(input.acontoDeductionVats ?? []).map((vatPercent, index) => ({ account: acontoAccount, vatPercent, costCentre: 'n/a', label: `a-contoavdrag ${index + 1}` })),
    ];
    const check = async () => {
      const year = await cache.memo(`fy:${input.invoiceDate}`, () => fortnox.financialYears.byDate(input.invoiceDate));
      const chart = year === undefined ? [] : await cache.memo(`chart:${year.Id}`, () => fortnox.accounts.list(year.Id));
      const zeroRateCodes = input.vatType === undefined ? undefined : zeroRateCodesFor(input.vatType, input.supplyType);
      return { year, found: problemsOf(lines, new Map(chart.map((account) => [account.Number, account])), zeroRateCodes) };
    };
    let year;
    let found;
    try {
      ({ year, found } = await check());
      if (year === undefined || found.size > 0) {
        // A problem seen in cached data may already be fixed in Fortnox: look again before asking a person.
        cache.invalidate('fy:');
        cache.invalidate('chart:');
        ({ year, found } = await check());
      }
    } catch (error) {
      throw fortnoxFailure(error, 'kontoplanen');
    }
    if (year === undefined) {
      throw needsAttention(
        `Fortnox har inget räkenskapsår för fakturadatumet ${input.invoiceDate} — lägg upp räkenskapsåret i Fortnox eller ändra fakturadatumet i Summa och tryck Försök igen.`,
      );
    }
    if (found.size === 0) return { financialYearId: year.Id };

    const period = `räkenskapsåret ${year.FromDate}–${year.ToDate}`;
    const where = (labels: string[]) => labels.join(', ').replace(/rad (\d+), rad/g, 'rader $1, rad').replace(/, rad (\d+)/g, ', $1');
    const sentences = [...found.values()].map(({ problem, account, labels, detail }) => {
      const [rowRate, code, codeRate] = detail.split(':');
      switch (problem) {
        case 'missing':
          return `konto ${account} finns inte i Fortnox ${period} (${where(labels)}) — lägg upp kontot`;
        case 'inactive':
          return `konto ${account} är inaktivt i Fortnox ${period} (${where(labels)}) — aktivera kontot`;
        case 'needsCostCentre':
          return `konto ${account} kräver kostnadsställe i Fortnox (${where(labels)}) — ange kostnadsställe på raden i Summa`;
        case 'wrongVatType': {
          const expected = (codeRate ?? '').split('/');
          const kind = zeroRateCodeNames[expected[0] ?? ''] ?? '';
          return `konto ${account} har momskod ${code ?? ''} (${zeroRateCodeNames[code ?? ''] ?? ''}) i Fortnox, men kundens momstyp ${input.vatType ?? 'SEVAT'} kräver ett konto med momskod ${expected.join(' eller ')} (${kind}) för 0 % moms (${where(labels)}) — byt konto i Summa${input.vatType === 'EUREVERSEDVAT' && input.supplyType === undefined ? ', eller ange i Summa att fakturan gäller tjänster (supplyType services; utan den räknas den som varor)' : ''}`;
        }
        case 'wrongVat':
          return `momssatsen ${rowRate ?? ''} passar inte konto ${account}, som har momskod ${code ?? ''} (${codeRate ?? ''} %) i Fortnox (${where(labels)}) — byt konto eller momssats i Summa`;
      }
    });
    const [first = '', ...rest] = sentences;
    throw needsAttention(`${first.charAt(0).toUpperCase()}${first.slice(1)}${rest.map((sentence) => `; ${sentence}`).join('')}. Tryck sedan Försök igen.`, {
      problems: [...found.values()].map(({ problem, account, labels }) => ({ problem, account, where: labels })),
    });
  };
}

interface Line {
  account: number;
  vatPercent: number;
  costCentre: string | undefined;
  label: string;
}

function problemsOf(
  lines: Line[],
  accounts: Map<number, Account>,
  zeroRateCodes: readonly string[] | undefined,
): Map<string, { problem: Problem; account: number; labels: string[]; detail: string }> {
  const found = new Map<string, { problem: Problem; account: number; labels: string[]; detail: string }>();
  for (const line of lines) {
    const account = accounts.get(line.account);
    const accountRate = vatRateForCode(account?.VATCode);
    const problem: Problem | undefined =
      account === undefined
        ? 'missing'
        : account.Active === false
          ? 'inactive'
          : account.CostCenterSettings === 'MANDATORY' && line.costCentre === undefined
            ? 'needsCostCentre'
            : accountRate !== undefined && accountRate !== line.vatPercent
              ? 'wrongVat'
              : zeroRateCodes !== undefined && line.vatPercent === 0 && accountRate === 0 && !zeroRateCodes.includes(account.VATCode?.toUpperCase() ?? '')
                ? 'wrongVatType'
                : undefined;
    if (problem === undefined) continue;
    const detail =
      problem === 'wrongVat'
        ? `${line.vatPercent} %:${account?.VATCode ?? ''}:${accountRate ?? ''}`
        : problem === 'wrongVatType'
          ? `0 %:${account?.VATCode?.toUpperCase() ?? ''}:${(zeroRateCodes ?? []).join('/')}`
          : '';
    const key = `${problem}:${line.account}:${detail}`;
    const entry = found.get(key) ?? { problem, account: line.account, labels: [], detail };
    entry.labels.push(line.label);
    found.set(key, entry);
  }
  return found;
}
