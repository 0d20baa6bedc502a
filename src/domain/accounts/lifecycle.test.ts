import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PROFILE_EVENTS,
  PROFILE_STATES,
  PROFILE_TRANSITIONS,
  allowedEvents,
  canActivate,
  canObject,
  dueEvent,
  isFinal,
  nextState,
  type ProfileEvent,
  type ProfileState,
} from './lifecycle.js';

/** The expected table, written out independently: [state, event, next]. */
const ALLOWED: ReadonlyArray<[ProfileState, ProfileEvent, ProfileState]> = [
  ['imported', 'notice-sent', 'notified'],
  ['imported', 'objected', 'opposed'],
  ['notified', 'objected', 'opposed'],
  ['notified', 'opening-due', 'open'],
  ['notified', 'activated', 'active'],
  ['open', 'activated', 'active'],
  ['closed', 'activated', 'active'],
  ['active', 'suspended', 'suspended'],
  ['open', 'suspended', 'suspended'],
  ['suspended', 'suspension-lifted', 'active'],
  ['suspended', 'closure-due', 'closed'],
  ['active', 'closed', 'closed'],
  ['closed', 'deletion-due', 'deleted'],
];

const ALL_PAIRS = PROFILE_STATES.flatMap((state) => PROFILE_EVENTS.map((event) => [state, event] as const));

describe('profile lifecycle', () => {
  it('lists 8 states and 9 events', () => {
    expect(PROFILE_STATES).toEqual(['imported', 'notified', 'opposed', 'open', 'active', 'suspended', 'closed', 'deleted']);
    expect(PROFILE_EVENTS).toEqual([
      'notice-sent',
      'objected',
      'opening-due',
      'activated',
      'suspended',
      'suspension-lifted',
      'closure-due',
      'closed',
      'deletion-due',
    ]);
    expect(ALL_PAIRS).toHaveLength(72);
  });

  it.each(ALL_PAIRS)('%s + %s', (state, event) => {
    const expected = ALLOWED.find(([s, e]) => s === state && e === event)?.[2];
    expect(nextState(state, event)).toBe(expected);
  });

  it('the exported table has exactly the allowed transitions', () => {
    const fromTable = Object.entries(PROFILE_TRANSITIONS).flatMap(([state, events]) =>
      Object.entries(events).map(([event, next]) => [state, event, next]),
    );
    expect(fromTable.sort()).toEqual([...ALLOWED].map((t) => [...t]).sort());
  });

  it.each<[ProfileState, ProfileEvent[]]>([
    ['imported', ['notice-sent', 'objected']],
    ['notified', ['objected', 'opening-due', 'activated']],
    ['opposed', []],
    ['open', ['activated', 'suspended']],
    ['active', ['suspended', 'closed']],
    ['suspended', ['suspension-lifted', 'closure-due']],
    ['closed', ['activated', 'deletion-due']],
    ['deleted', []],
  ])('%s allows %j', (state, events) => {
    expect(allowedEvents(state)).toEqual(events);
    expect(isFinal(state)).toBe(events.length === 0);
  });

  it('every state but opposed can be reached from imported, and deleted is reached only through closed', () => {
    const reached = new Set<ProfileState>(['imported']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const [state, event] of ALL_PAIRS) {
        const next = nextState(state, event);
        if (reached.has(state) && next && !reached.has(next)) {
          reached.add(next);
          changed = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...PROFILE_STATES].sort());
    for (const [state, event] of ALL_PAIRS) if (nextState(state, event) === 'deleted') expect(state).toBe('closed');
  });

  it('random event sequences stay within the states and never leave deleted or opposed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PROFILE_EVENTS), { maxLength: 30 }), (events) => {
        let state: ProfileState = 'imported';
        for (const event of events) {
          const next = nextState(state, event);
          if (state === 'deleted' || state === 'opposed') expect(next).toBeUndefined();
          if (next) state = next;
          expect(PROFILE_STATES).toContain(state);
        }
      }),
    );
  });
});

describe('canActivate', () => {
  it.each<[ProfileState, boolean]>([
    ['imported', false],
    ['notified', true],
    ['opposed', false],
    ['open', true],
    ['active', false],
    ['suspended', false],
    ['closed', true],
    ['deleted', false],
  ])('%s: %s', (state, expected) => {
    expect(canActivate(state)).toBe(expected);
  });
});

describe('canObject', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const later = new Date('2025-03-01T12:00:00.001Z');

  it.each(PROFILE_STATES)('%s, without a due date', (state) => {
    expect(canObject(state, now)).toBe(state === 'imported' || state === 'notified');
    expect(canObject(state, now, null)).toBe(state === 'imported' || state === 'notified');
  });

  it('only strictly before the opening date', () => {
    expect(canObject('notified', now, later)).toBe(true);
    expect(canObject('notified', now, now)).toBe(false);
    expect(canObject('notified', later, now)).toBe(false);
    expect(canObject('imported', now, later)).toBe(true);
    expect(canObject('open', now, later)).toBe(false);
  });
});

describe('dueEvent', () => {
  it.each<[ProfileState, ProfileEvent | undefined]>([
    ['imported', undefined],
    ['notified', 'opening-due'],
    ['opposed', undefined],
    ['open', undefined],
    ['active', undefined],
    ['suspended', 'closure-due'],
    ['closed', 'deletion-due'],
    ['deleted', undefined],
  ])('%s: %s', (state, event) => {
    expect(dueEvent(state)).toBe(event);
    if (event) expect(nextState(state, event)).toBeDefined();
  });
});
