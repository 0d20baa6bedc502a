/** Client-side checks; the server checks everything again. */

export const normaliseNir = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/** 15 characters: digits, with 2A or 2B as the department for Corsica. */
export const isNir = (value: string): boolean => /^[0-9]{5}[0-9AB][0-9]{9}$/.test(normaliseNir(value));

export const normaliseDigits = (value: string): string => value.replace(/\s+/g, '');
export const isVitaleSerial = (value: string): boolean => /^[0-9]{8,13}$/.test(normaliseDigits(value));

export const normaliseCode = (value: string): string => value.replace(/\s+/g, '');

/** Identifier: at least 8 characters, letters without accents, digits, `.`, `-`, `_`. */
export const isLogin = (value: string): boolean => /^[A-Za-z0-9._-]{8,}$/.test(value);

export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

export const isDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);

export const PASSWORD_RULES = {
  length: (p: string) => [...p].length >= 9,
  lower: (p: string) => /\p{Ll}/u.test(p),
  upper: (p: string) => /\p{Lu}/u.test(p),
  digit: (p: string) => /\p{Nd}/u.test(p),
  special: (p: string) => /[^\p{L}\p{N}\p{M}]/u.test(p),
} as const;

export type PasswordRule = keyof typeof PASSWORD_RULES;

export const passwordChecks = (password: string): Record<PasswordRule, boolean> => ({
  length: PASSWORD_RULES.length(password),
  lower: PASSWORD_RULES.lower(password),
  upper: PASSWORD_RULES.upper(password),
  digit: PASSWORD_RULES.digit(password),
  special: PASSWORD_RULES.special(password),
});

export const isStrongPassword = (password: string): boolean => Object.values(passwordChecks(password)).every(Boolean);
