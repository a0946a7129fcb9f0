/**
 * The VAT rate a Fortnox account's VAT code stands for. Only MP1–MP3 and MF are documented by Fortnox (its
 * EasyVat rules in the OpenAPI file); the zero-rated codes for EU, export and reverse-charge sales come from
 * third-party integrations (bas-accounts.md §2.3). Fortnox itself does not refuse a row whose VAT differs from its
 * account's code, but the VAT return then comes out wrong, so the integration stops and says so.
 */
const ratesByCode: Record<string, number> = {
  MP1: 25,
  MP2: 12,
  MP3: 6,
  MF: 0,
  VTEU: 0,
  E: 0,
  FTEU: 0,
  ÖTEU: 0,
  OTTU: 0,
  OMSS: 0,
};

/** The rate an account with this VAT code takes, or undefined when the code says nothing we can check. */
export function vatRateForCode(vatCode: string | undefined): number | undefined {
  return vatCode === undefined ? undefined : ratesByCode[vatCode.toUpperCase()];
}
