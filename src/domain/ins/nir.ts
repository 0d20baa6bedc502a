/**
 * NIR (numéro d'inscription au répertoire): the French social security number, 13 characters plus a
 * 2-digit key. Rules: /work/shared/reference/domain.md §1.1.
 *
 *   pos 1      sex: 1 man, 2 woman
 *   pos 2–3    year of birth
 *   pos 4–5    month of birth: 01–12, or 20–99 when the month is unknown
 *   pos 6–7    department: 01–95, 2A, 2B; 97/98 overseas (3-digit department, 2-digit commune);
 *              99 born abroad (positions 8–10 then hold the INSEE country code)
 *   pos 8–10   commune of birth (INSEE COG) or country
 *   pos 11–13  order number in the birth register
 *   pos 14–15  key = 97 − (NIR mod 97), with 2A → 19 and 2B → 18 for the computation only
 *
 * A NIA (numéro d'identification d'attente) "is built like a NIR": the number alone cannot tell them
 * apart, only the assigning authority (INS OID) can. Hence the `temporary` option of `parseNir`.
 */

export type NirSex = '1' | '2';

export interface Nir {
  /** The 15 characters, spaces removed, upper-cased (e.g. "184127645108946"). */
  readonly value: string;
  readonly sex: NirSex;
  /** Two digits, century not encoded. */
  readonly birthYear: string;
  /** Two digits: "01"–"12", or "20"–"99" when the month of birth is unknown. */
  readonly birthMonth: string;
  /** "01"–"95", "2A", "2B", "99", or 3 digits overseas ("971", "988"…). */
  readonly department: string;
  /** 3 digits (2 overseas). For department "99", the last 3 digits of the INSEE country code. */
  readonly commune: string;
  /** Order number in the birth register, 3 digits. */
  readonly order: string;
  /** Control key, 1–97. */
  readonly key: number;
  /** True for a NIA (temporary number); only the caller knows it, see `ParseNirOptions`. */
  readonly temporary: boolean;
}

/** The parts `makeNir` assembles; the key is computed. */
export type NirParts = Omit<Nir, 'value' | 'key' | 'temporary'>;

export interface ParseNirOptions {
  /** The number is a NIA (e.g. it came with the INS-NIA OID). Default false. */
  readonly temporary?: boolean;
}

export type NirParseResult = { ok: true; nir: Nir } | { ok: false; error: string };

const CORSICA = new Map([
  ['2A', '19'],
  ['2B', '18'],
]);

/**
 * Key of a 13-character NIR (upper-case, no spaces): 97 − (NIR mod 97), in 1..97.
 * Throws a RangeError if the input is not 13 digits (2A/2B allowed at positions 6–7).
 */
export function nirKey(nir13: string): number {
  const department = nir13.slice(5, 7);
  const numeric = nir13.slice(0, 5) + (CORSICA.get(department) ?? department) + nir13.slice(7);
  if (!/^\d{13}$/.test(numeric)) {
    throw new RangeError(`nirKey expects 13 digits (2A or 2B allowed as department), got "${nir13}"`);
  }
  return 97 - Number(BigInt(numeric) % 97n);
}

/** Parses a 15-character NIR (spaces allowed), checking its structure and its key. */
export function parseNir(input: string, options: ParseNirOptions = {}): NirParseResult {
  const value = input.replace(/\s+/g, '').toUpperCase();
  const read = readFields(value);
  if (!read.ok) return read;
  const expected = nirKey(value.slice(0, 13));
  if (read.fields.key !== expected) {
    return fail(`NIR key is ${pad2(read.fields.key)}, expected ${pad2(expected)}`);
  }
  return { ok: true, nir: { ...read.fields, temporary: options.temporary ?? false } };
}

/** Builds a valid 15-character NIR (no spaces) from its parts; throws an Error if a part is invalid. */
export function makeNir(parts: NirParts): string {
  const department = parts.department.toUpperCase();
  const departmentWidth = isOverseas(department.slice(0, 2)) ? 3 : 2;
  const widths: ReadonlyArray<[keyof NirParts, string, number]> = [
    ['sex', parts.sex, 1],
    ['birthYear', parts.birthYear, 2],
    ['birthMonth', parts.birthMonth, 2],
    ['department', department, departmentWidth],
    ['commune', parts.commune, 5 - departmentWidth],
    ['order', parts.order, 3],
  ];
  for (const [name, part, width] of widths) {
    if (part.length !== width) throw new Error(`NIR ${name} must have ${width} characters, got "${part}"`);
  }
  const nir13 = widths.map(([, part]) => part).join('');
  const read = readFields(`${nir13}00`);
  if (!read.ok) throw new Error(read.error);
  return nir13 + pad2(nirKey(nir13));
}

type ReadResult = { ok: true; fields: Omit<Nir, 'temporary'> } | { ok: false; error: string };

/** Checks everything but the key value. `value` is already stripped and upper-cased. */
function readFields(value: string): ReadResult {
  if (value.length !== 15) return fail(`NIR must have 15 characters, got ${value.length}`);
  for (let i = 0; i < 15; i++) {
    const inDepartment = i === 5 || i === 6;
    if (!inDepartment && !isDigit(value[i])) {
      return fail(`NIR character ${i + 1} must be a digit, got "${value[i]}"`);
    }
  }
  const sex = value[0];
  if (sex !== '1' && sex !== '2') return fail(`NIR sex digit must be 1 or 2, got ${sex}`);

  const birthMonth = value.slice(3, 5);
  const month = Number(birthMonth);
  if (!((month >= 1 && month <= 12) || month >= 20)) {
    return fail(`NIR birth month must be 01–12 or 20–99, got ${birthMonth}`);
  }

  const department2 = value.slice(5, 7);
  if (!isValidDepartment(department2)) {
    return fail(`NIR department must be 01–95, 2A, 2B, 97, 98 or 99, got ${department2}`);
  }
  const departmentWidth = isOverseas(department2) ? 3 : 2;

  return {
    ok: true,
    fields: {
      value,
      sex,
      birthYear: value.slice(1, 3),
      birthMonth,
      department: value.slice(5, 5 + departmentWidth),
      commune: value.slice(5 + departmentWidth, 10),
      order: value.slice(10, 13),
      key: Number(value.slice(13, 15)),
    },
  };
}

function isValidDepartment(department2: string): boolean {
  if (CORSICA.has(department2)) return true;
  if (!/^\d\d$/.test(department2)) return false;
  const n = Number(department2);
  return (n >= 1 && n <= 95) || n === 97 || n === 98 || n === 99;
}

function isOverseas(department2: string): boolean {
  return department2 === '97' || department2 === '98';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
