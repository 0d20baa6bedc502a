/**
 * Codes sent to people: the code provisoire of the opt-out notice, and one-time codes (OTP).
 * Rules: /work/shared/reference/domain.md §1.5 (a 12-character single-use code that expires, used with the
 * NIR and the carte Vitale to activate or object; OTPs to check contacts and as the second login factor)
 * and §1.6 (the code is in the notice).
 *
 * Randomness comes from the caller (e.g. `crypto.randomBytes`), so that these functions stay pure.
 */

/**
 * 32 upper-case characters that are hard to confuse: the digits 2–9 and the letters without I and O.
 * (No 0/O, 1/I. "L" stays: 32 characters need one of 0, 1, I, L, O, and an upper-case L is the least
 * ambiguous; input is upper-cased, so a typed "l" is read as "L".) 32 divides 256, so a byte modulo 32 is
 * an unbiased character.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Characters in a code provisoire. */
export const CODE_LENGTH = 12;

const CODE_CHARS: ReadonlySet<string> = new Set(CODE_ALPHABET);

/** A code provisoire from the first 12 of `randomBytes` (at least 12); throws a RangeError if fewer. */
export function makeCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < CODE_LENGTH) {
    throw new RangeError(`makeCode needs at least ${CODE_LENGTH} random bytes, got ${randomBytes.length}`);
  }
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomBytes[i] % CODE_ALPHABET.length];
  return code;
}

/**
 * A typed code provisoire in its canonical form (12 upper-case characters of `CODE_ALPHABET`), ignoring
 * case, whitespace and hyphens; undefined if anything else is wrong (no guessing of 0/O or 1/I).
 */
export function normalizeCode(input: string): string | undefined {
  const code = input.replace(/[\s\-‐‑–]+/g, '').toUpperCase();
  if (code.length !== CODE_LENGTH || ![...code].every((c) => CODE_CHARS.has(c))) return undefined;
  return code;
}

/** A code provisoire as printed: "XXXX-XXXX-XXXX". Throws a RangeError if it is not a valid code. */
export function formatCode(code: string): string {
  const normalized = normalizeCode(code);
  if (normalized === undefined) throw new RangeError('not a code provisoire');
  return `${normalized.slice(0, 4)}-${normalized.slice(4, 8)}-${normalized.slice(8)}`;
}

/** Digits in a one-time code. */
export const OTP_LENGTH = 6;

/** A source of random bytes, e.g. `crypto.randomBytes` from node:crypto. */
export type RandomBytes = (size: number) => Uint8Array;

/** Bytes below this value give an unbiased digit (byte % 10); 250 = 25 × 10. */
const OTP_BYTE_LIMIT = 250;
/** Calls to `randomBytes` after which a source that keeps giving bytes ≥ 250 is taken as broken. */
const OTP_MAX_DRAWS = 100;

/**
 * A 6-digit one-time code, each digit unbiased: bytes ≥ 250 are rejected and more bytes are drawn.
 * Throws an Error if the source keeps returning unusable bytes.
 */
export function makeOtp(randomBytes: RandomBytes): string {
  let otp = '';
  for (let draw = 0; draw < OTP_MAX_DRAWS; draw++) {
    for (const byte of randomBytes(OTP_LENGTH - otp.length)) {
      if (byte < OTP_BYTE_LIMIT) otp += String(byte % 10);
      if (otp.length === OTP_LENGTH) return otp;
    }
  }
  throw new Error('makeOtp: the random source keeps returning unusable bytes');
}

/** A typed one-time code as 6 ASCII digits, ignoring whitespace and hyphens; undefined otherwise. */
export function normalizeOtp(input: string): string | undefined {
  const otp = input.replace(/[\s\-‐‑–]+/g, '');
  return /^\d{6}$/.test(otp) ? otp : undefined;
}
