import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORTNOX_ROW_TEXT_MAX, rowTexts } from '../../src/mapping/invoice.js';

describe('rowTexts: a long row text as Fortnox row descriptions', () => {
  it('keeps a text that fits on one row as it is', () => {
    expect(rowTexts('Broschyr A4, 4+4, 1000 ex')).toEqual(['Broschyr A4, 4+4, 1000 ex']);
    expect(rowTexts('å'.repeat(255))).toEqual(['å'.repeat(255)]);
  });

  it('breaks at the last space within 255 characters, else at the limit', () => {
    const words = `${'Papper Munken Polar 150 g, '.repeat(12)}falsning och häftning`;
    const parts = rowTexts(words);
    expect(parts.length).toBe(2);
    expect(parts.every((part) => part.length <= FORTNOX_ROW_TEXT_MAX)).toBe(true);
    expect(parts.join(' ')).toBe(words);
    expect(rowTexts('x'.repeat(600))).toEqual(['x'.repeat(255), 'x'.repeat(255), 'x'.repeat(90)]);
  });

  it('never loses a character: rows of at most 255, in order, joined by the spaces they broke at', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'ö', 'Å', '4', '+', ',', '.', '–'), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 80 }), (words) => {
        const text = words.join(' ');
        const parts = rowTexts(text);
        expect(parts.every((part) => part.length >= 1 && part.length <= FORTNOX_ROW_TEXT_MAX)).toBe(true);
        expect(parts.join(' ')).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'ä'), minLength: 256, maxLength: 2040 }), (text) => {
        expect(rowTexts(text).join('')).toBe(text);
      }),
    );
  });
});
