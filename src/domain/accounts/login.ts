/**
 * The account identifier (login) chosen at activation.
 * Rules: /work/shared/reference/domain.md §1.5 step 4: at least 8 characters, no accents, no special
 * characters other than `.` `-` `_`, unique (an unavailable login comes with suggestions). Carnet also caps
 * it at 64 characters.
 */
import { foldText } from './fold.js';

export const LOGIN_MIN_LENGTH = 8;
export const LOGIN_MAX_LENGTH = 64;

/** Stable codes (i18n keys) of what is wrong with a login. */
export type LoginProblem = 'login.too-short' | 'login.too-long' | 'login.invalid-characters';

const LOGIN_CHARS = /^[A-Za-z0-9._-]*$/;

/** Everything wrong with a login, in this order: too-short or too-long, invalid-characters. Empty = valid. */
export function checkLogin(login: string): LoginProblem[] {
  const problems: LoginProblem[] = [];
  const length = [...login].length;
  if (length < LOGIN_MIN_LENGTH) problems.push('login.too-short');
  if (length > LOGIN_MAX_LENGTH) problems.push('login.too-long');
  if (!LOGIN_CHARS.test(login)) problems.push('login.invalid-characters');
  return problems;
}

export function isValidLogin(login: string): boolean {
  return checkLogin(login).length === 0;
}

/** Stem used when neither name gives a single ASCII letter or digit. */
const FALLBACK_STEM = 'utilisateur';

/** Most candidates `suggestLogins` looks at before giving up. */
const MAX_ATTEMPTS = 10_000;

/**
 * Up to `count` free, valid logins built from the person's names, in order of preference:
 * "camille.martin", "camille.martin2", "camille.martin3"… Names are ASCII-folded and lower-cased
 * ("Hélène de La Tour-d'Auvergne" → "helene.de-la-tour-dauvergne"); a stem shorter than 8 characters is padded
 * with a zero-filled number ("li.wu001"), a long one is cut so that the login stays within 64 characters.
 * `taken` says whether a login is already used (however the caller compares them).
 */
export function suggestLogins(
  givenName: string,
  familyName: string,
  taken: (login: string) => boolean,
  count = 3,
): string[] {
  const stem = [slug(givenName), slug(familyName)].filter((part) => part.length > 0).join('.') || FALLBACK_STEM;
  const suggestions: string[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS && suggestions.length < count; n++) {
    const login = candidate(stem, n);
    if (isValidLogin(login) && !suggestions.includes(login) && !taken(login)) suggestions.push(login);
  }
  return suggestions;
}

/** The n-th candidate (n ≥ 1) for a stem: the stem itself, then the stem followed by n. */
function candidate(stem: string, n: number): string {
  const short = stem.length < LOGIN_MIN_LENGTH;
  const suffix = short ? String(n).padStart(LOGIN_MIN_LENGTH - stem.length, '0') : n === 1 ? '' : String(n);
  const head = stem.slice(0, LOGIN_MAX_LENGTH - suffix.length).replace(/[.-]+$/, '');
  return head + suffix;
}

/** A name as a login part: ASCII-folded, lower-case, separators as single hyphens, other characters dropped. */
function slug(name: string): string {
  return foldText(name)
    .replace(/['’‘`´]/g, '')
    .replace(/[\s._\-‐–]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
