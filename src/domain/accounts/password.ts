/**
 * Password rules for patients' accounts.
 * Rules: /work/shared/reference/domain.md §1.5 step 4: at least 9 characters with a lower-case letter, an
 * upper-case letter, a digit and a special character; e-mail, NIR and IBAN refused; server-side rejections
 * "[03]/[04] contains personal information", "[05] dictionary word". Carnet caps the length at 128.
 *
 * Every comparison is case- and accent-insensitive (`foldText`), and is also made with the separators
 * (spaces, `.`, `-`, `_`, `/`) removed, so "03/12/1984" counts as "03121984".
 */
import { parseCalendarDate } from '../ins/calendar.js';
import { parseNir } from '../ins/nir.js';
import { foldText } from './fold.js';
import { COMMON_PASSWORD_WORDS } from './password-words.js';

export const PASSWORD_MIN_LENGTH = 9;
export const PASSWORD_MAX_LENGTH = 128;

/** Stable codes (i18n keys) of what is wrong with a password, in the order `checkPassword` reports them. */
export const PASSWORD_PROBLEMS = [
  'password.too-short',
  'password.too-long',
  'password.needs-lower',
  'password.needs-upper',
  'password.needs-digit',
  'password.needs-special',
  'password.personal-information',
  'password.dictionary-word',
  'password.contains-iban',
] as const;

export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/** What Carnet knows about the person, none of which may appear in the password. */
export interface PersonalInformation {
  readonly login?: string;
  readonly email?: string;
  /** The NIR (or NIA), with or without spaces. */
  readonly nir?: string;
  readonly givenNames?: readonly string[];
  readonly familyName?: string;
  /** YYYY-MM-DD. */
  readonly birthDate?: string;
}

/** Shortest piece of personal text that counts (shorter ones would forbid too much). */
const MIN_PERSONAL_LENGTH = 3;
/** How many consecutive characters of the NIR count as "the NIR". */
const NIR_WINDOW = 8;

/**
 * Everything wrong with a password (empty = acceptable), in the order of `PASSWORD_PROBLEMS`.
 * Length is counted in characters (code points); letters and digits are Unicode letters and digits;
 * any other character (space included) is special.
 */
export function checkPassword(password: string, personal: PersonalInformation = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const text = password.normalize('NFC');
  const length = [...text].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('password.too-short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('password.too-long');
  if (!/\p{Ll}/u.test(text)) problems.push('password.needs-lower');
  if (!/\p{Lu}/u.test(text)) problems.push('password.needs-upper');
  if (!/\p{Nd}/u.test(text)) problems.push('password.needs-digit');
  if (!/[^\p{L}\p{N}\p{M}]/u.test(text)) problems.push('password.needs-special');
  if (containsPersonalInformation(text, personal)) problems.push('password.personal-information');
  if (containsCommonWord(text)) problems.push('password.dictionary-word');
  if (containsFrenchIban(text)) problems.push('password.contains-iban');
  return problems;
}

/** True when `checkPassword` finds nothing wrong. */
export function isAcceptablePassword(password: string, personal: PersonalInformation = {}): boolean {
  return checkPassword(password, personal).length === 0;
}

/**
 * The password holds (case- and accent-insensitively) the login; the e-mail or its local part; the NIR or
 * 8 consecutive characters of it; a given name or the family name of 3 letters or more, or any of their
 * parts of 3 letters or more ("Jean-Pierre" → "jean", "pierre"); the birth date as DDMMYYYY, YYYYMMDD or YYYY.
 * Any valid NIR (15 characters with the right key) also counts, whoever it belongs to.
 */
export function containsPersonalInformation(password: string, personal: PersonalInformation): boolean {
  const haystack = new Haystack(password);
  const needles: string[] = [];
  if (personal.login) needles.push(personal.login);
  if (personal.email) {
    const email = personal.email.trim();
    needles.push(email, email.slice(0, Math.max(0, email.lastIndexOf('@'))));
  }
  const names = [...(personal.givenNames ?? []), ...(personal.familyName === undefined ? [] : [personal.familyName])];
  for (const name of names) {
    const letters = foldText(name).split(/[^\p{L}]+/u).filter((part) => part.length > 0);
    needles.push(letters.join(''), ...letters);
  }
  if (personal.birthDate !== undefined && parseCalendarDate(personal.birthDate)) {
    const [y, m, d] = personal.birthDate.split('-');
    needles.push(d + m + y, y + m + d, y);
  }
  if (needles.some((needle) => haystack.contains(needle))) return true;

  if (personal.nir) {
    const nir = compact(foldText(personal.nir));
    const starts = range(Math.max(1, nir.length - NIR_WINDOW + 1));
    const windows = starts.map((i) => nir.slice(i, i + NIR_WINDOW)).filter((w) => w.length >= MIN_PERSONAL_LENGTH);
    if (windows.some((window) => haystack.compact.includes(window))) return true;
  }
  return containsAnyNir(haystack.compact);
}

/**
 * The password holds a word of `COMMON_PASSWORD_WORDS`, also when written in "leet" (p@ssw0rd, s0l3il),
 * 6 identical digits, or 6 consecutive ascending or descending digits (234567, 876543).
 */
export function containsCommonWord(password: string): boolean {
  const folded = foldText(password);
  const variants = [folded, compact(folded), ...unleet(compact(folded))];
  if (variants.some((v) => COMMON_PASSWORD_WORDS.some((word) => v.includes(word)))) return true;
  return /(\d)\1{5}/.test(compact(folded)) || hasDigitRun(compact(folded), 6);
}

/** A French IBAN: FR, 2 check digits, 5-digit bank and 5-digit branch codes, 11-character account, 2-digit key. */
export function containsFrenchIban(password: string): boolean {
  return /FR\d{12}[0-9A-Z]{11}\d{2}/.test(password.toUpperCase().replace(/[\s.-]+/g, ''));
}

/** The folded password, with and without separators. */
class Haystack {
  readonly folded: string;
  readonly compact: string;

  constructor(password: string) {
    this.folded = foldText(password);
    this.compact = compact(this.folded);
  }

  contains(needle: string): boolean {
    const folded = foldText(needle).trim();
    const compacted = compact(folded);
    if (compacted.length < MIN_PERSONAL_LENGTH) return false;
    return this.folded.includes(folded) || this.compact.includes(compacted);
  }
}

function compact(text: string): string {
  return text.replace(/[\s./_-]+/g, '');
}

const LEET: Readonly<Record<string, string>> = { '0': 'o', '3': 'e', '4': 'a', '@': 'a', $: 's', '5': 's', '7': 't', '€': 'e' };

/** The password read as leet speak; "1" and "!" read as "i" in one variant and "l" in the other. */
function unleet(text: string): string[] {
  const base = [...text].map((c) => LEET[c] ?? c).join('');
  return [base.replace(/[1!|]/g, 'i'), base.replace(/[1!|]/g, 'l')];
}

function hasDigitRun(text: string, length: number): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < text.length; i++) {
    const previous = text.charCodeAt(i - 1);
    const current = text.charCodeAt(i);
    const digits = isDigitCode(previous) && isDigitCode(current);
    up = digits && current === previous + 1 ? up + 1 : 1;
    down = digits && current === previous - 1 ? down + 1 : 1;
    if (up >= length || down >= length) return true;
  }
  return false;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Any 15-character window that parses as a NIR (key included). */
function containsAnyNir(text: string): boolean {
  const upper = text.toUpperCase();
  for (let i = 0; i + 15 <= upper.length; i++) {
    if (/^[12]\d{4}(\d\d|2A|2B)\d{8}$/.test(upper.slice(i, i + 15)) && parseNir(upper.slice(i, i + 15)).ok) return true;
  }
  return false;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
