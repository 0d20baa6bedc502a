/**
 * The Luhn check digit, used by RPPS numbers (11 digits, the last one the key) and FINESS numbers
 * (9 digits, the last one the key).
 */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError('Luhn needs digits only');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit is the Luhn key of the others. */
export function hasValidLuhn(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.slice(-1));
}

/** An RPPS number (11 digits) from its first 10. */
export function makeRpps(first10: string): string {
  if (!/^\d{10}$/.test(first10)) throw new RangeError('an RPPS number starts with 10 digits');
  return first10 + luhnCheckDigit(first10);
}

/** A FINESS number (9 digits) from its first 8. */
export function makeFiness(first8: string): string {
  if (!/^\d{8}$/.test(first8)) throw new RangeError('a FINESS number starts with 8 digits');
  return first8 + luhnCheckDigit(first8);
}
