import type { PreventionItem, PreventionType, PreventionView } from '../../contract/prevention.js';
import { childExamCalendarFor, computePrevention, dentalCalendarFor } from '../../domain/prevention/index.js';
import type { Calendars, CalendarSource } from '../../domain/prevention/types.js';
import { parisToday } from '../../domain/profile/sections/common.js';
import type { RequestContext } from '../../repo/index.js';
import { assertActsFor } from '../profile/sections.js';
import { calendars as shippedCalendars } from './calendars.js';
import type { PreventionDeps } from './deps.js';
import { readPreventionInput, type PreventionInput } from './profile-input.js';

/**
 * GET /api/prevention (docs/prevention.md, "API"): the acting profile's items as the engine computes them on the
 * server's day (Europe/Paris), the first one to act on, and the calendars they come from.
 */

/** The whole life ahead: to decide whether a code exists (a parent may mark a future exam planned), no horizon. */
export const NO_HORIZON_MONTHS = 12 * 130;

export function calendarsOf(deps: PreventionDeps): Calendars {
  return (deps.calendars ?? shippedCalendars)();
}

/** The server's day, in Paris. */
export function today(deps: PreventionDeps): string {
  return parisToday(deps.clock.now());
}

const source = (c: CalendarSource): PreventionView['calendars'][number] => ({ id: c.id, title: c.title, version: c.version, source: c.source });

/** The calendars the items come from: the child-exam calendar of the birth date, the dental versions used... */
function calendarsUsed(cals: Calendars, birthDate: string, items: PreventionItem[]): PreventionView['calendars'] {
  const types = new Set(items.map((i) => i.type));
  const out: CalendarSource[] = [];
  if (types.has('child-exam')) {
    const exams = childExamCalendarFor(cals.childExams, birthDate);
    if (exams) out.push(exams);
  }
  if (types.has('vaccination')) out.push(cals.vaccination);
  if (types.has('screening')) out.push(cals.screening);
  if (types.has('dental')) {
    const used = new Set(items.filter((x) => x.type === 'dental').map((i) => dentalCalendarFor(cals.dental, i.window.start)));
    out.push(...[...cals.dental].sort((a, b) => a.appliesFrom.localeCompare(b.appliesFrom)).filter((v) => used.has(v)));
  }
  if (types.has('key-age-checkup')) out.push(cals.keyAge);
  return out.map(source);
}

/** Which type comes first when two items to act on open the same day. */
const TYPE_PRIORITY: readonly PreventionType[] = ['child-exam', 'vaccination', 'screening', 'key-age-checkup', 'dental'];

/**
 * The first item to act on: due or overdue, the earliest window start; on the same start, a mandatory item
 * before a recommended one, then by type (child examination, vaccination, screening, key-age check-up, M'T
 * dents), then by code.
 */
export function nextItem(items: readonly PreventionItem[]): PreventionItem | undefined {
  let best: PreventionItem | undefined;
  for (const i of items) {
    if (i.status !== 'due' && i.status !== 'overdue') continue;
    if (!best || before(i, best)) best = i;
  }
  return best;
}

function before(a: PreventionItem, b: PreventionItem): boolean {
  if (a.window.start !== b.window.start) return a.window.start < b.window.start;
  if (a.level !== b.level) return a.level === 'mandatory';
  const ta = TYPE_PRIORITY.indexOf(a.type);
  const tb = TYPE_PRIORITY.indexOf(b.type);
  if (ta !== tb) return ta < tb;
  return a.code < b.code;
}

/** The items with the comment of their mark, when the person wrote one. */
function withComments(items: PreventionItem[], marks: PreventionInput['marks']): PreventionItem[] {
  const comments = new Map(marks.filter((m) => m.comment).map((m) => [m.code, m.comment!]));
  if (comments.size === 0) return items;
  return items.map((i) => (comments.has(i.code) ? { ...i, comment: comments.get(i.code)! } : i));
}

/** The view of computed items (with the comments of the marks). */
export function viewOf(cals: Calendars, input: PreventionInput, asOf: string, computed: PreventionItem[]): PreventionView {
  const items = withComments(computed, input.marks);
  const next = nextItem(items);
  return {
    asOf,
    birthDate: input.profile.birthDate,
    sex: input.profile.sex,
    items,
    ...(next ? { next: next.code } : {}),
    calendars: calendarsUsed(cals, input.profile.birthDate, items),
  };
}

/** The view of a profile's inputs on a day, with the default horizon. */
export function computeView(cals: Calendars, input: PreventionInput, asOf: string): PreventionView {
  return viewOf(cals, input, asOf, computePrevention(input.profile, cals, asOf));
}

/** GET /api/prevention */
export async function preventionView(deps: PreventionDeps, ctx: RequestContext, patientId: string): Promise<PreventionView> {
  assertActsFor(ctx, patientId);
  const cals = calendarsOf(deps);
  const asOf = today(deps);
  const input = await deps.repo.run(ctx, (ops) => readPreventionInput(ops, deps.fhirBase, patientId), { readOnly: true });
  return computeView(cals, input, asOf);
}
