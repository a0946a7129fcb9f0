// OCR references the way Fortnox generates them by default: the document number, a length digit and a Luhn
// (modulus 10) check digit, as Bankgirot's "OCR with length check" prescribes. Recorded responses agree:
// invoice 1 → "133", 7 → "737", 117 → "11759" (accodeing/fortnox-api cassettes invoices/all.yml,
// save_new.yml, row_delivered_quantity_decimals_round_up.yml).

/** The Luhn check digit to append to `digits` (a string of 0–9). */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`not a digit string: ${digits}`);
  let sum = 0;
  // Doubling starts at the rightmost digit because the check digit will be appended after it.
  for (let i = digits.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let digit = Number(digits[i]) * (double ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of `reference` is the Luhn check digit of the rest. */
export function hasValidLuhnCheckDigit(reference: string): boolean {
  if (!/^\d{2,}$/.test(reference)) return false;
  return luhnCheckDigit(reference.slice(0, -1)) === Number(reference.slice(-1));
}

/** Fortnox's default OCR for a numeric document number: number + length digit + Luhn digit. */
export function ocrForDocumentNumber(documentNumber: string): string {
  const lengthDigit = (documentNumber.length + 2) % 10; // counts itself and the check digit
  const withLength = `${documentNumber}${lengthDigit}`;
  return `${withLength}${luhnCheckDigit(withLength)}`;
}
