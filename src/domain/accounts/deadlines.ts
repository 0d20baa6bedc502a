/**
 * Durations of the accounts' life, with their defaults and sources, and the dates computed from them.
 * Rules: /work/shared/reference/domain.md §1.5 and §1.6. [?] marks a value the sources do not give, chosen
 * by Carnet.
 *
 * Days are 24-hour steps on the instant (UTC): across a daylight-saving change, Europe/Paris wall-clock time
 * moves by an hour, which these deadlines do not care about. Years are calendar years (UTC).
 */
import type { ProfileState } from './lifecycle.js';

export interface Deadlines {
  /** Objection window between the opt-out notice and the automatic opening: 6 weeks (CSP R1111-28). */
  readonly optOutWindowDays: number;
  /** Window after a suspension before the automatic closure: 6 weeks (CSP R1111-36). */
  readonly suspensionWindowDays: number;
  /** Longest delay to carry out an express deletion request: 3 months (CSP R1111-36). */
  readonly deletionDelayDays: number;
  /** How long a closed profile is archived before automatic deletion: 10 years (CSP R1111-36, L1111-18). */
  readonly archiveYears: number;
  /** Lifetime of a code provisoire: not published (`CODE_EXPIRED`, §1.5) [?]; Carnet uses 90 days. */
  readonly codeTtlDays: number;
  /** Lifetime of a one-time code (OTP) [?]: 10 minutes. */
  readonly otpTtlMinutes: number;
  /** Least delay between two OTPs sent for the same purpose: 30 s (`MIN_DELAY_ERROR`, §1.5). */
  readonly otpResendDelaySeconds: number;
  /** Lifetime of an invitation (carer, second legal representative): an `expirationDate` exists (§1.7) [?]: 15 days. */
  readonly invitationTtlDays: number;
  /** Lifetime of an activation session started with NIR, carte Vitale and code (§1.5 "session timeout") [?]: 30 minutes. */
  readonly activationTtlMinutes: number;
}

export const DEFAULT_DEADLINES: Deadlines = Object.freeze({
  optOutWindowDays: 42,
  suspensionWindowDays: 42,
  deletionDelayDays: 90,
  archiveYears: 10,
  codeTtlDays: 90,
  otpTtlMinutes: 10,
  otpResendDelaySeconds: 30,
  invitationTtlDays: 15,
  activationTtlMinutes: 30,
});

/**
 * The defaults with some durations replaced (e.g. from configuration; undefined values keep the default).
 * Throws a RangeError unless every duration is a positive integer.
 */
export function makeDeadlines(overrides: Partial<Deadlines> = {}): Deadlines {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  const merged: Deadlines = { ...DEFAULT_DEADLINES, ...Object.fromEntries(given) };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`deadline ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return Object.freeze(merged);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** `date` plus `n` days of 24 hours (n may be negative). */
export function addDays(date: Date, n: number): Date {
  return shift(date, n, DAY);
}

/** `date` plus `n` minutes. */
export function addMinutes(date: Date, n: number): Date {
  return shift(date, n, MINUTE);
}

/** `date` plus `n` seconds. */
export function addSeconds(date: Date, n: number): Date {
  return shift(date, n, SECOND);
}

/** `date` plus `n` calendar years, same UTC time; 29 February becomes 1 March in a non-leap year. */
export function addYears(date: Date, n: number): Date {
  checkShift(date, n);
  const result = new Date(date.getTime());
  result.setUTCFullYear(date.getUTCFullYear() + n);
  return result;
}

/** When a notified profile opens if nobody objects: the notice plus the opt-out window (R1111-28). */
export function openingDate(noticeAt: Date, days = DEFAULT_DEADLINES.optOutWindowDays): Date {
  return addDays(noticeAt, days);
}

/** When a suspended profile closes if the holder does not object (R1111-36). */
export function automaticClosureDate(suspendedAt: Date, days = DEFAULT_DEADLINES.suspensionWindowDays): Date {
  return addDays(suspendedAt, days);
}

/**
 * When a closed profile's data are deleted: after the archive period, or within the deletion delay when the
 * holder asked for deletion (R1111-36).
 */
export function deletionDate(
  closedAt: Date,
  deletionRequested: boolean,
  deadlines: Pick<Deadlines, 'deletionDelayDays' | 'archiveYears'> = DEFAULT_DEADLINES,
): Date {
  return deletionRequested ? addDays(closedAt, deadlines.deletionDelayDays) : addYears(closedAt, deadlines.archiveYears);
}

/** When a code provisoire issued at `issuedAt` stops working. */
export function codeExpiresAt(issuedAt: Date, days = DEFAULT_DEADLINES.codeTtlDays): Date {
  return addDays(issuedAt, days);
}

/** When a one-time code sent at `sentAt` stops working. */
export function otpExpiresAt(sentAt: Date, minutes = DEFAULT_DEADLINES.otpTtlMinutes): Date {
  return addMinutes(sentAt, minutes);
}

/** The earliest time another one-time code may be sent after one sent at `sentAt`. */
export function otpResendAllowedAt(sentAt: Date, seconds = DEFAULT_DEADLINES.otpResendDelaySeconds): Date {
  return addSeconds(sentAt, seconds);
}

/** When an invitation sent at `sentAt` expires. */
export function invitationExpiresAt(sentAt: Date, days = DEFAULT_DEADLINES.invitationTtlDays): Date {
  return addDays(sentAt, days);
}

/** When an activation session started at `startedAt` expires. */
export function activationExpiresAt(startedAt: Date, minutes = DEFAULT_DEADLINES.activationTtlMinutes): Date {
  return addMinutes(startedAt, minutes);
}

/** True once `now` has reached `deadline` (a deadline is the first instant at which the thing is over). */
export function isReached(deadline: Date, now: Date): boolean {
  return now.getTime() >= deadline.getTime();
}

/**
 * The due date (`due_at`) of a profile entering `state` at `at`: the opening for `notified`, the automatic
 * closure for `suspended`, the deletion for `closed`; undefined for the other states.
 */
export function dueAtFor(
  state: ProfileState,
  at: Date,
  options: { readonly deletionRequested?: boolean; readonly deadlines?: Deadlines } = {},
): Date | undefined {
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  switch (state) {
    case 'notified':
      return openingDate(at, deadlines.optOutWindowDays);
    case 'suspended':
      return automaticClosureDate(at, deadlines.suspensionWindowDays);
    case 'closed':
      return deletionDate(at, options.deletionRequested ?? false, deadlines);
    default:
      return undefined;
  }
}

function shift(date: Date, n: number, unit: number): Date {
  checkShift(date, n);
  return new Date(date.getTime() + n * unit);
}

function checkShift(date: Date, n: number): void {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
  if (!Number.isSafeInteger(n)) throw new RangeError(`expected a whole number, got ${n}`);
}
