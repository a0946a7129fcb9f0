// CountryCode → the Swedish country name Fortnox derives into the read-only Country field ("SE" → "Sverige",
// [VCR-26] customers/save_new_fully_populated.yml). The countries a Swedish print shop invoices; an unknown
// code is rejected rather than guessed.
const countryNames: ReadonlyMap<string, string> = new Map([
  ['SE', 'Sverige'],
  ['NO', 'Norge'],
  ['DK', 'Danmark'],
  ['FI', 'Finland'],
  ['IS', 'Island'],
  ['DE', 'Tyskland'],
  ['AT', 'Österrike'],
  ['CH', 'Schweiz'],
  ['NL', 'Nederländerna'],
  ['BE', 'Belgien'],
  ['LU', 'Luxemburg'],
  ['FR', 'Frankrike'],
  ['ES', 'Spanien'],
  ['PT', 'Portugal'],
  ['IT', 'Italien'],
  ['IE', 'Irland'],
  ['GB', 'Storbritannien'],
  ['PL', 'Polen'],
  ['EE', 'Estland'],
  ['LV', 'Lettland'],
  ['LT', 'Litauen'],
  ['CZ', 'Tjeckien'],
  ['GR', 'Grekland'],
  ['US', 'USA'],
  ['CA', 'Kanada'],
  ['CN', 'Kina'],
  ['JP', 'Japan'],
]);

/** The Swedish name of an ISO 3166-1 alpha-2 code, or undefined when the sandbox does not know it. */
export function countryName(code: string): string | undefined {
  return countryNames.get(code.toUpperCase());
}
