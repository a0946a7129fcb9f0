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

/**
 * The 0 % VAT codes an account may have for a row of a customer of this VAT type (bas-accounts.md §2.3, §3.2): a
 * 0 % row must go to the VAT return box of its kind of sale, not only carry the right rate. EU business buyers
 * split by what is sold: goods VTEU (box 35), services FTEU (box 39). Domestic reverse charge is OTTU or OMSS
 * (which one Fortnox uses is uncertain, so both), export E (goods) or ÖTEU (services abroad); other customers'
 * 0 % rows are exempt domestic sales, MF.
 */
export function zeroRateCodesFor(vatType: string | undefined, supplyType: 'goods' | 'services' | undefined): readonly string[] {
  switch (vatType) {
    case 'SEREVERSEDVAT':
      return ['OTTU', 'OMSS'];
    case 'EUREVERSEDVAT':
      return supplyType === 'services' ? ['FTEU'] : ['VTEU'];
    case 'EXPORT':
      return ['E', 'ÖTEU'];
    default:
      return ['MF'];
  }
}

/** What a 0 % VAT code stands for, in the Swedish the messages use. */
export const zeroRateCodeNames: Readonly<Record<string, string>> = {
  MF: 'momsfri försäljning inom Sverige',
  VTEU: 'varor till annat EU-land',
  FTEU: 'tjänster till annat EU-land',
  E: 'export av varor',
  ÖTEU: 'tjänster utanför Sverige',
  OTTU: 'omvänd betalningsskyldighet inom Sverige',
  OMSS: 'omvänd betalningsskyldighet inom Sverige',
};
