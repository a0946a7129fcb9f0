import { describe, expect, it } from 'vitest';
import { hasValidLuhnCheckDigit, luhnCheckDigit, ocrForDocumentNumber } from '../../src/sandbox/fortnox/ocr.js';

describe('sandbox OCR references', () => {
  it.each([
    ['1', '133'],
    ['7', '737'],
    ['117', '11759'],
    ['119', '11957'],
  ])('gives invoice %s the OCR %s that Fortnox gave it in recorded responses', (documentNumber, ocr) => {
    expect(ocrForDocumentNumber(documentNumber)).toBe(ocr);
  });

  it('ends every OCR with a valid Luhn check digit and a length digit before it', () => {
    for (let n = 1; n <= 2000; n += 37) {
      const ocr = ocrForDocumentNumber(String(n));
      expect(hasValidLuhnCheckDigit(ocr)).toBe(true);
      expect(Number(ocr.at(-2))).toBe(ocr.length % 10);
    }
  });

  it('computes the textbook Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(hasValidLuhnCheckDigit('79927398713')).toBe(true);
    expect(hasValidLuhnCheckDigit('79927398710')).toBe(false);
  });

  it('refuses a reference with anything but digits', () => {
    expect(() => luhnCheckDigit('12a')).toThrow(/not a digit string/);
    expect(hasValidLuhnCheckDigit('12a')).toBe(false);
  });
});
