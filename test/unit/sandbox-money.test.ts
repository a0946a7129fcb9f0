import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, roundHalfUp, toScaled } from '../../src/sandbox/fortnox/money.js';

describe('sandbox money arithmetic', () => {
  it.each([
    [1.125, 1.13],
    [1.124, 1.12],
    [1.005, 1.01], // 1.00499… as a double; Fortnox rounds the decimal the client wrote
    [2.675, 2.68],
    [0.115, 0.12],
    [-1.125, -1.13],
    [99.9, 99.9],
    [123456789.125, 123456789.13],
    [1e-7, 0],
  ])('rounds %d to 2 decimals half-up as %d', (value, expected) => {
    expect(roundHalfUp(value, 2)).toBe(expected);
  });

  it('reads numbers written in exponent form exactly', () => {
    expect(toScaled(1.5e-5, 6)).toBe(15n);
    expect(toScaled(2e21, 2)).toBe(200000000000000000000000n);
  });

  it('rounds integer division half away from zero', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
  });

  it('refuses a number that is not finite', () => {
    expect(() => toScaled(Number.NaN, 2)).toThrow(/not a finite number/);
  });
});
