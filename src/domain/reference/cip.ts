/**
 * Identifiers of the public drug database (reference-data.md §4.3): CIS (8 digits), CIP7, and CIP13 =
 * 34009 + CIP7 + an EAN-13 check digit. A CIP13 is validated on its key; a CIP7 never is (codes issued
 * around 2016 do not follow the legacy key).
 */

/** The EAN-13 check digit of 12 digits: weights 1, 3, 1, 3... from the left. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export type CipProblem = 'format' | 'prefix' | 'check-digit';

/** Why a CIP13 is not one, or undefined when it is. */
export function cip13Problem(code: string): CipProblem | undefined {
  if (!/^\d{13}$/.test(code)) return 'format';
  if (!code.startsWith('34009')) return 'prefix';
  return ean13CheckDigit(code.slice(0, 12)) === Number(code[12]) ? undefined : 'check-digit';
}

export function isCip13(code: string): boolean {
  return cip13Problem(code) === undefined;
}

/** The CIP13 of a CIP7: 34009 + CIP7 + key. */
export function cip13OfCip7(cip7: string): string {
  if (!/^\d{7}$/.test(cip7)) throw new Error(`not a CIP7: ${cip7}`);
  const twelve = `34009${cip7}`;
  return `${twelve}${ean13CheckDigit(twelve)}`;
}

export function isCis(code: string): boolean {
  return /^\d{8}$/.test(code);
}
