import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_DEADLINES,
  activationExpiresAt,
  addDays,
  addMinutes,
  addSeconds,
  addYears,
  automaticClosureDate,
  codeExpiresAt,
  deletionDate,
  dueAtFor,
  invitationExpiresAt,
  isReached,
  makeDeadlines,
  openingDate,
  otpExpiresAt,
  otpResendAllowedAt,
  type Deadlines,
} from './deadlines.js';
import { PROFILE_STATES, dueEvent } from './lifecycle.js';

const T0 = new Date('2025-01-10T09:30:00Z');
const dateArb = fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('2200-01-01') });

describe('DEFAULT_DEADLINES', () => {
  it('has the values of the sources, and Carnet’s choices', () => {
    expect(DEFAULT_DEADLINES).toEqual({
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
    expect(Object.isFrozen(DEFAULT_DEADLINES)).toBe(true);
  });
});

describe('makeDeadlines', () => {
  it('overrides some durations', () => {
    expect(makeDeadlines()).toEqual(DEFAULT_DEADLINES);
    expect(makeDeadlines({ optOutWindowDays: 1, otpTtlMinutes: undefined })).toEqual({ ...DEFAULT_DEADLINES, optOutWindowDays: 1 });
  });

  it.each<[Partial<Deadlines>, string]>([
    [{ optOutWindowDays: 0 }, 'deadline optOutWindowDays must be a positive integer, got 0'],
    [{ archiveYears: -1 }, 'deadline archiveYears must be a positive integer, got -1'],
    [{ otpTtlMinutes: 1.5 }, 'deadline otpTtlMinutes must be a positive integer, got 1.5'],
    [{ codeTtlDays: Number.NaN }, 'deadline codeTtlDays must be a positive integer, got NaN'],
    [{ invitationTtlDays: Infinity }, 'deadline invitationTtlDays must be a positive integer, got Infinity'],
  ])('rejects %j', (overrides, message) => {
    expect(() => makeDeadlines(overrides)).toThrow(new RangeError(message));
  });
});

describe('date arithmetic', () => {
  it('adds days, minutes and seconds as fixed steps', () => {
    expect(addDays(T0, 42).toISOString()).toBe('2025-02-21T09:30:00.000Z');
    expect(addDays(T0, -10).toISOString()).toBe('2024-12-31T09:30:00.000Z');
    expect(addDays(new Date('2025-03-20T10:00:00Z'), 14).toISOString()).toBe('2025-04-03T10:00:00.000Z'); // across the DST change
    expect(addMinutes(T0, 30).toISOString()).toBe('2025-01-10T10:00:00.000Z');
    expect(addSeconds(T0, 30).toISOString()).toBe('2025-01-10T09:30:30.000Z');
  });

  it('adds calendar years; 29 February becomes 1 March', () => {
    expect(addYears(T0, 10).toISOString()).toBe('2035-01-10T09:30:00.000Z');
    expect(addYears(new Date('2024-02-29T08:00:00Z'), 10).toISOString()).toBe('2034-03-01T08:00:00.000Z');
    expect(addYears(new Date('2024-02-29T08:00:00Z'), 4).toISOString()).toBe('2028-02-29T08:00:00.000Z');
  });

  it('does not change its argument', () => {
    const date = new Date(T0);
    addDays(date, 3);
    addYears(date, 3);
    expect(date).toEqual(T0);
  });

  it('rejects invalid dates and fractional steps', () => {
    expect(() => addDays(new Date('nope'), 1)).toThrow(RangeError);
    expect(() => addDays(T0, 1.5)).toThrow(RangeError);
    expect(() => addMinutes(T0, Number.NaN)).toThrow(RangeError);
    expect(() => addYears(T0, 0.5)).toThrow(RangeError);
    expect(() => addYears(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('addDays(n) then addDays(-n) is the identity, and steps add up', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }), (date, a, b) => {
        expect(addDays(addDays(date, a), -a)).toEqual(date);
        expect(addDays(addDays(date, a), b)).toEqual(addDays(date, a + b));
        expect(addMinutes(date, a * 1440)).toEqual(addDays(date, a));
      }),
    );
  });
});

describe('deadlines of the lifecycle', () => {
  it('opens 6 weeks after the notice', () => {
    expect(openingDate(T0).toISOString()).toBe('2025-02-21T09:30:00.000Z');
    expect(openingDate(T0, 1).toISOString()).toBe('2025-01-11T09:30:00.000Z');
  });

  it('closes 6 weeks after a suspension', () => {
    expect(automaticClosureDate(T0).toISOString()).toBe('2025-02-21T09:30:00.000Z');
  });

  it('deletes 10 years after closure, or 90 days after a deletion request', () => {
    expect(deletionDate(T0, false).toISOString()).toBe('2035-01-10T09:30:00.000Z');
    expect(deletionDate(T0, true).toISOString()).toBe('2025-04-10T09:30:00.000Z');
    expect(deletionDate(T0, true, { deletionDelayDays: 1, archiveYears: 1 }).toISOString()).toBe('2025-01-11T09:30:00.000Z');
    expect(deletionDate(T0, false, { deletionDelayDays: 1, archiveYears: 1 }).toISOString()).toBe('2026-01-10T09:30:00.000Z');
  });

  it('computes due_at for the states that have one', () => {
    expect(dueAtFor('notified', T0)).toEqual(openingDate(T0));
    expect(dueAtFor('suspended', T0)).toEqual(automaticClosureDate(T0));
    expect(dueAtFor('closed', T0)).toEqual(deletionDate(T0, false));
    expect(dueAtFor('closed', T0, { deletionRequested: true })).toEqual(deletionDate(T0, true));
    const custom = makeDeadlines({ optOutWindowDays: 2, suspensionWindowDays: 3, deletionDelayDays: 4, archiveYears: 5 });
    expect(dueAtFor('notified', T0, { deadlines: custom })).toEqual(addDays(T0, 2));
    expect(dueAtFor('suspended', T0, { deadlines: custom })).toEqual(addDays(T0, 3));
    expect(dueAtFor('closed', T0, { deadlines: custom, deletionRequested: true })).toEqual(addDays(T0, 4));
    expect(dueAtFor('closed', T0, { deadlines: custom })).toEqual(addYears(T0, 5));
  });

  it.each(PROFILE_STATES)('%s has a due date exactly when it has a due event', (state) => {
    expect(dueAtFor(state, T0) !== undefined).toBe(dueEvent(state) !== undefined);
  });

  it('every due date is after the state was entered', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_STATES), fc.boolean(), dateArb, (state, deletionRequested, at) => {
        const due = dueAtFor(state, at, { deletionRequested });
        if (due) expect(due.getTime()).toBeGreaterThan(at.getTime());
      }),
    );
  });
});

describe('lifetimes of codes, invitations and sessions', () => {
  it('uses the defaults', () => {
    expect(codeExpiresAt(T0).toISOString()).toBe('2025-04-10T09:30:00.000Z');
    expect(otpExpiresAt(T0).toISOString()).toBe('2025-01-10T09:40:00.000Z');
    expect(otpResendAllowedAt(T0).toISOString()).toBe('2025-01-10T09:30:30.000Z');
    expect(invitationExpiresAt(T0).toISOString()).toBe('2025-01-25T09:30:00.000Z');
    expect(activationExpiresAt(T0).toISOString()).toBe('2025-01-10T10:00:00.000Z');
  });

  it('takes other durations', () => {
    expect(codeExpiresAt(T0, 1).toISOString()).toBe('2025-01-11T09:30:00.000Z');
    expect(otpExpiresAt(T0, 1).toISOString()).toBe('2025-01-10T09:31:00.000Z');
    expect(otpResendAllowedAt(T0, 1).toISOString()).toBe('2025-01-10T09:30:01.000Z');
    expect(invitationExpiresAt(T0, 1).toISOString()).toBe('2025-01-11T09:30:00.000Z');
    expect(activationExpiresAt(T0, 1).toISOString()).toBe('2025-01-10T09:31:00.000Z');
  });
});

describe('isReached', () => {
  it('is true from the deadline on', () => {
    const deadline = otpExpiresAt(T0);
    expect(isReached(deadline, addSeconds(deadline, -1))).toBe(false);
    expect(isReached(deadline, deadline)).toBe(true);
    expect(isReached(deadline, addSeconds(deadline, 1))).toBe(true);
  });
});
