import { addDays, addOffset, dayNumber } from '../../domain/prevention/index.js';
import { parisToday } from '../../domain/profile/sections/common.js';
import { loadPrincipal, makeContext, type RequestContext } from '../../repo/index.js';
import { preventionView, putMark } from '../prevention/index.js';
import type { ProfileDeps } from '../profile/deps.js';
import { patientId, userId } from './world.js';

/**
 * The demo family's prevention page (docs/prevention.md): Léo's and Jade's child examinations done, marked by
 * their mother on a day of each window (their infant vaccinations are the record's, seeded with the profile:
 * demo/profile.ts), with one realistic gap: Léo missed the examination of his 5th year, which stays overdue; his
 * 8-9-year examination is planned on the day of the appointment in his agenda (demo/agenda.ts). Camille had her
 * cervical screening (HPV test) done; Louis Bernard his colorectal screening test in 2025. Every vaccination of
 * the demo (Camille's childhood MMR doses, Louis's influenza vaccination of last season...) is the record's,
 * seeded with the profile (demo/profile.ts). Marks are set through the same service as the web app, as the
 * person who sets them; setting a mark again changes nothing: running the seed twice gives the same page.
 */

type Item = { code: string; type: string; ref: string; status: string; window: { start: string; end: string } };

/** The examination Léo missed (the gap of the demo). */
const LEO_MISSED = 'exam-16';

/** A day a third into the window (before today). */
function dayIn(window: { start: string; end: string }, today: string): string {
  const d = addDays(window.start, Math.floor((dayNumber(window.end) - dayNumber(window.start)) / 3));
  return d <= today ? d : today;
}

async function contextOf(deps: ProfileDeps, login: string, now: Date): Promise<RequestContext | undefined> {
  const principal = await loadPrincipal(deps.db, userId(login), now);
  return principal ? makeContext(principal, { now: () => now }) : undefined;
}

async function itemsOf(deps: ProfileDeps, ctx: RequestContext, key: string): Promise<Item[]> {
  return (await preventionView(deps, ctx, patientId(key))).items;
}

/** The children's examinations whose window has closed, marked done by their mother (but Léo's missed one). */
async function childExams(deps: ProfileDeps, ctx: RequestContext, key: string, today: string, now: Date): Promise<void> {
  for (const item of await itemsOf(deps, ctx, key)) {
    if (item.type !== 'child-exam' || item.window.end >= today) continue;
    if (key === 'leo.martin' && item.code === LEO_MISSED) continue;
    if (item.status === 'done') continue;
    await putMark(deps, ctx, patientId(key), item.code, { mark: 'done', date: dayIn(item.window, today) });
  }
  if (key === 'leo.martin') {
    // the appointment of demo/agenda.ts, in 30 days
    const exam = (await itemsOf(deps, ctx, key)).find((i) => i.code === 'exam-18' && (i.status === 'due' || i.status === 'to-plan'));
    if (exam) await putMark(deps, ctx, patientId(key), exam.code, { mark: 'planned', date: parisToday(new Date(now.getTime() + 30 * 86_400_000)), comment: 'Chez le Dr Durand, avec le carnet de santé.' });
  }
}

/** The open round of a screening programme, marked done on a day of it. */
async function screeningDone(deps: ProfileDeps, ctx: RequestContext, key: string, program: string, today: string, on: (start: string) => string): Promise<void> {
  const round = (await itemsOf(deps, ctx, key)).find((i) => i.type === 'screening' && i.ref === program && (i.status === 'due' || i.status === 'overdue'));
  if (!round) return;
  const date = on(round.window.start);
  await putMark(deps, ctx, patientId(key), round.code, { mark: 'done', date: date <= today ? date : today });
}

export async function seedDemoPrevention(deps: ProfileDeps, now: Date): Promise<void> {
  const today = parisToday(now);
  const louis = await contextOf(deps, 'louis.bernard', now);
  // his colorectal screening test, a month into the round that opened at his last even birthday
  if (louis) await screeningDone(deps, louis, 'louis.bernard', 'colorectal', today, (start) => addDays(start, 29));

  const camille = await contextOf(deps, 'camille.martin', now);
  if (!camille) return;
  // her HPV test, ten months into the round
  await screeningDone(deps, camille, 'camille.martin', 'cervical', today, (start) => addOffset(start, { months: 10 }));
  for (const child of ['leo.martin', 'jade.martin']) await childExams(deps, camille, child, today, now);
}
