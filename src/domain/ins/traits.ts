/**
 * Checks on the traits INS ("traits stricts") and on their consistency with the matricule INS.
 * Rules: /work/shared/reference/domain.md §1.1 (what the NIR encodes) and §1.2 (the traits).
 */
import { calendarDateOf, compareCalendarDates, isCalendarDate } from './calendar.js';
import type { InsTraits } from './ins.js';
import type { Nir } from './nir.js';

/** Longest birth name or given name accepted. */
export const MAX_NAME_LENGTH = 100;

/** Letters of the INS character set: ASCII letters and the letters of French, both cases. */
const LETTERS = 'A-Za-zÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒàâäçéèêëîïôöùûüÿæœ';
const NAME_CHARS = new RegExp(`^[${LETTERS} '-]*$`);
const NAME_FORBIDDEN = new RegExp(`[^${LETTERS} '-]`, 'g');
const HAS_LETTER = new RegExp(`[${LETTERS}]`);

/**
 * Problems with a birth name or given name, in English: empty, longer than 100 characters, characters
 * outside the INS set (letters including French accented letters, space, hyphen, apostrophe U+0027),
 * or no letter at all. `label` names the field in the messages.
 */
export function checkInsName(name: string, label: string): string[] {
  if (name.length === 0) return [`${label} must not be empty`];
  const problems: string[] = [];
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) problems.push(`${label} must have at most ${MAX_NAME_LENGTH} characters, got ${length}`);
  if (!NAME_CHARS.test(name)) {
    const bad = [...new Set(name.match(NAME_FORBIDDEN) ?? [])].map((c) => JSON.stringify(c)).join(', ');
    problems.push(`${label} has characters outside the INS character set: ${bad}`);
  } else if (!HAS_LETTER.test(name)) {
    problems.push(`${label} must contain a letter`);
  }
  return problems;
}

/**
 * A place of birth as an INSEE COG code: 5 characters, a department (01–95, 2A, 2B, 97, 98) then the
 * commune, or 99 then the country code for people born abroad.
 */
export function isBirthPlaceCode(code: string): boolean {
  const match = /^(\d\d|2A|2B)\d{3}$/.exec(code);
  if (!match) return false;
  const department = match[1];
  if (department === '2A' || department === '2B') return true;
  const n = Number(department);
  return (n >= 1 && n <= 95) || n === 97 || n === 98 || n === 99;
}

/**
 * Everything wrong with a set of traits INS, as English sentences (empty when they are valid):
 * names in the INS character set, `givenNames[0]` equal to `firstGivenName`, a real birth date not after the
 * (UTC) calendar date of `today`, sex M, F or I, and an INSEE birth-place code.
 */
export function validateTraits(t: InsTraits, today: Date): string[] {
  const problems = [...checkInsName(t.birthName, 'birth name'), ...checkInsName(t.firstGivenName, 'first given name')];

  if (t.givenNames.length === 0) {
    problems.push('given names must list at least the first given name');
  } else {
    t.givenNames.forEach((name, i) => problems.push(...checkInsName(name, `given name ${i + 1}`)));
    if (t.givenNames[0] !== t.firstGivenName) {
      problems.push(`first given name "${t.firstGivenName}" must be the first of the given names, got "${t.givenNames[0]}"`);
    }
  }

  if (!isCalendarDate(t.birthDate)) {
    problems.push(`birth date must be a real date YYYY-MM-DD, got "${t.birthDate}"`);
  } else if (compareCalendarDates(t.birthDate, calendarDateOf(today)) > 0) {
    problems.push(`birth date ${t.birthDate} is in the future`);
  }

  if (!['M', 'F', 'I'].includes(t.sex)) problems.push(`sex must be M, F or I, got "${t.sex}"`);

  if (!isBirthPlaceCode(t.birthPlaceCode)) {
    problems.push(
      `birth place must be an INSEE code (5 digits, 2A or 2B and 3 digits, or 99 and a country code), got "${t.birthPlaceCode}"`,
    );
  }
  return problems;
}

/** NIR departments of Algeria before 1962 and of the Moroccan protectorate [?: common NIR documentation]. */
const FORMER_NORTH_AFRICA = new Set(['91', '92', '93', '94', '95']);

/**
 * Where the NIR contradicts the traits, as English sentences (empty when consistent):
 * - sex digit 1/2 against sex M/F (I matches both);
 * - birth year (2 digits) against the birth date;
 * - birth month against the birth date, when the NIR month is 01–12 (20–99 means unknown);
 * - department and commune against the birth place, unless the NIR says "born abroad" (99).
 *   Department 20 (Corsica before 1976) matches 2A and 2B. A NIR department 91–95 with a foreign birth place
 *   (99xxx) is accepted: people born in French North Africa before independence kept those departments.
 * Traits that are themselves malformed (see `validateTraits`) are compared as they are.
 */
export function nirMatchesTraits(nir: Nir, t: InsTraits): string[] {
  const problems: string[] = [];
  const expectedSex = nir.sex === '1' ? 'M' : 'F';
  if (t.sex !== 'I' && t.sex !== expectedSex) {
    problems.push(`NIR sex digit ${nir.sex} does not match sex ${t.sex}`);
  }

  const year = t.birthDate.slice(2, 4);
  if (nir.birthYear !== year) {
    problems.push(`NIR birth year ${nir.birthYear} does not match birth date ${t.birthDate}`);
  }
  const month = Number(nir.birthMonth);
  if (month >= 1 && month <= 12 && nir.birthMonth !== t.birthDate.slice(5, 7)) {
    problems.push(`NIR birth month ${nir.birthMonth} does not match birth date ${t.birthDate}`);
  }

  if (nir.department !== '99' && !birthPlaceMatches(nir, t.birthPlaceCode)) {
    problems.push(`NIR place of birth ${nir.department}${nir.commune} does not match birth place ${t.birthPlaceCode}`);
  }
  return problems;
}

function birthPlaceMatches(nir: Nir, birthPlaceCode: string): boolean {
  const place = nir.department + nir.commune;
  if (place === birthPlaceCode) return true;
  if (nir.department === '20') {
    return (birthPlaceCode.startsWith('2A') || birthPlaceCode.startsWith('2B')) && birthPlaceCode.slice(2) === nir.commune;
  }
  return FORMER_NORTH_AFRICA.has(nir.department) && /^99\d{3}$/.test(birthPlaceCode);
}
