// Exact decimal money arithmetic. Fortnox rounds Price and DeliveredQuantity to two decimals half-up
// (1.125 → 1.13, accodeing/fortnox-api cassettes), which binary floating point gets wrong (1.005 is
// 1.00499… as a double). So amounts are read from the shortest decimal text of the number and kept as
// scaled bigints (öre, hundredths) while they are computed.

/**
 * `value` × 10^scale as an exact integer, rounded half away from zero ("half-up" in the commercial sense,
 * symmetric for the negative amounts of credit invoices).
 */
export function toScaled(value: number, scale: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const [mantissa = '0', exponentText] = String(Math.abs(value)).split('e');
  const [intPart = '0', fracPart = ''] = mantissa.split('.');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const digits = BigInt(intPart + fracPart);
  // |value| = digits × 10^(exponent − fracPart.length)
  const shift = scale + exponent - fracPart.length;
  const scaled = shift >= 0 ? digits * 10n ** BigInt(shift) : divideRoundHalfUp(digits, 10n ** BigInt(-shift));
  return value < 0 ? -scaled : scaled;
}

/** The number an integer of the given scale stands for (21875n, 2 → 218.75). */
export function fromScaled(scaled: bigint, scale: number): number {
  return Number(scaled) / 10 ** scale;
}

/** `numerator / denominator` rounded half away from zero. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Rounds to `decimals` places, half away from zero, on the decimal value as written (1.005 → 1.01). */
export function roundHalfUp(value: number, decimals: number): number {
  return fromScaled(toScaled(value, decimals), decimals);
}
