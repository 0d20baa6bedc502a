/**
 * The life of a profile (espace santé), from the insurers' population file to deletion.
 * Rules: /work/shared/reference/domain.md §1.6 (opt-out creation: notice, 6-week objection window, automatic
 * opening; closure at any time, archive then deletion; suspension then automatic closure; a new ENS can be
 * asked for at any time) and §1.5 (activation with the code provisoire). See also docs/accounts.md.
 */

export const PROFILE_STATES = ['imported', 'notified', 'opposed', 'open', 'active', 'suspended', 'closed', 'deleted'] as const;

export type ProfileState = (typeof PROFILE_STATES)[number];

export const PROFILE_EVENTS = [
  'notice-sent',
  'objected',
  'opening-due',
  'activated',
  'suspended',
  'suspension-lifted',
  'closure-due',
  'closed',
  'deletion-due',
] as const;

export type ProfileEvent = (typeof PROFILE_EVENTS)[number];

/**
 * Every allowed transition: `PROFILE_TRANSITIONS[state][event]` is the next state; a missing entry is a
 * refused event.
 * - `notice-sent`: the opt-out notice went out (e-mail, or post) (R1111-28).
 * - `objected`: the person or their legal representative objects, online or by phone, before the opening;
 *   also before the notice, by phone (L1111-13-1, R1111-28).
 * - `opening-due`: 6 weeks after the notice without objection, the profile is opened (R1111-28).
 * - `activated`: the person activates with the code provisoire (§1.5), from the notice or after the opening;
 *   from `closed`, it reopens the profile, archived data included, and cancels a deletion request (R1111-36).
 * - `suspended`: the operator suspends after a serious malfunction or fraudulent use (R1111-36).
 * - `suspension-lifted`: the suspension ends; the profile goes to `active`, also when it was suspended while
 *   `open` (not activated yet): a simplification, the state before the suspension is not kept.
 * - `closure-due`: 6 weeks after a suspension without objection, the profile is closed (R1111-36).
 * - `closed`: the holder closes the profile (R1111-36).
 * - `deletion-due`: 10 years after closure, or at most 3 months after a deletion request (R1111-36).
 */
export const PROFILE_TRANSITIONS: Readonly<Record<ProfileState, Readonly<Partial<Record<ProfileEvent, ProfileState>>>>> = {
  imported: { 'notice-sent': 'notified', objected: 'opposed' },
  notified: { objected: 'opposed', 'opening-due': 'open', activated: 'active' },
  opposed: {},
  open: { activated: 'active', suspended: 'suspended' },
  active: { suspended: 'suspended', closed: 'closed' },
  suspended: { 'suspension-lifted': 'active', 'closure-due': 'closed' },
  closed: { activated: 'active', 'deletion-due': 'deleted' },
  deleted: {},
};

/** The state after `event`, or undefined if the event is not allowed in `state`. */
export function nextState(state: ProfileState, event: ProfileEvent): ProfileState | undefined {
  return PROFILE_TRANSITIONS[state][event];
}

/** The events allowed in a state, in `PROFILE_EVENTS` order. */
export function allowedEvents(state: ProfileState): ProfileEvent[] {
  return PROFILE_EVENTS.filter((event) => nextState(state, event) !== undefined);
}

/** Whether the person may activate (or reopen) their profile in this state. */
export function canActivate(state: ProfileState): boolean {
  return nextState(state, 'activated') !== undefined;
}

/**
 * Whether the person may still object: only before the opening (`imported` or `notified`), and, when the
 * opening date `dueAt` is set, strictly before it.
 */
export function canObject(state: ProfileState, now: Date, dueAt?: Date | null): boolean {
  if (nextState(state, 'objected') === undefined) return false;
  return dueAt == null || now.getTime() < dueAt.getTime();
}

/**
 * The event that fires by itself when the state's due date (`due_at`) passes: the opening of a notified
 * profile, the closure of a suspended one, the deletion of a closed one. Undefined for states without one.
 */
export function dueEvent(state: ProfileState): ProfileEvent | undefined {
  return DUE_EVENTS[state];
}

const DUE_EVENTS: Readonly<Partial<Record<ProfileState, ProfileEvent>>> = {
  notified: 'opening-due',
  suspended: 'closure-due',
  closed: 'deletion-due',
};

/** True for states no event leaves. */
export function isFinal(state: ProfileState): boolean {
  return allowedEvents(state).length === 0;
}
