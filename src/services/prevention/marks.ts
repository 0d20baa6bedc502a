import { PREVENTION_MARKS, type PreventionMark, type PreventionMarkInput, type PreventionView } from '../../contract/prevention.js';
import { computePrevention } from '../../domain/prevention/index.js';
import { isCivilDate } from '../../domain/prevention/dates.js';
import type { Json } from '../../domain/profile/sections/common.js';
import { AppError } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import { assertActsFor } from '../profile/sections.js';
import type { PreventionDeps } from './deps.js';
import { calendarsOf, computeView, NO_HORIZON_MONTHS, today } from './items.js';
import { readPreventionInput, type PreventionInput, type StoredMark } from './profile-input.js';

/**
 * The person's marks (PUT and DELETE /api/prevention/items/:code, docs/prevention.md "API"): planned (maybe on a
 * date), done on a date, or not done. The input is checked, then, in one unit of work, the profile is read
 * through the repository, the item must exist for it (computed without the horizon, so that a parent may plan
 * an exam years ahead), the date must fall between the birth and today, and the mark is stored; the answer is
 * the view computed with it. A refused mark stores nothing.
 */

export const COMMENT_MAX = 500;
const CODE_MAX = 120;
const FIELDS = ['mark', 'date', 'comment'];
/** Control characters (but tab and line breaks), which a text column refuses (NUL) or a page cannot show. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const invalid = (field: string, code: string, message: string) => new AppError(422, 'business-rule', message, [field]).withCode(code);

/** The body of PUT /api/prevention/items/:code, checked on its own (the birth date and today come later). */
export function parseMarkInput(body: Json): PreventionMarkInput {
  const extra = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) {
    // named, but not echoed at any length
    const name = extra.length > 100 ? `${extra.slice(0, 100)}…` : extra;
    throw invalid(name, 'prevention.invalid', `${name}: unknown field (a mark has ${FIELDS.join(', ')})`);
  }
  const mark = body.mark;
  if (typeof mark !== 'string' || !(PREVENTION_MARKS as readonly string[]).includes(mark)) {
    throw invalid('mark', 'prevention.mark-invalid', `mark is one of ${PREVENTION_MARKS.join(', ')}`);
  }
  const date = body.date;
  if (date !== undefined && date !== null && date !== '') {
    if (!isCivilDate(date)) throw invalid('date', 'prevention.date-invalid', `date: ${String(date)} is not a date YYYY-MM-DD`);
  } else if (mark === 'done') {
    throw invalid('date', 'prevention.date-required', 'date is required for an item done (YYYY-MM-DD)');
  }
  const comment = body.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw invalid('comment', 'prevention.comment-invalid', 'comment is a text');
  // a text longer than twice the limit has more characters than the limit, whatever its surrogate pairs: not spread
  if (typeof comment === 'string' && (comment.length > 2 * COMMENT_MAX || [...comment].length > COMMENT_MAX)) {
    throw invalid('comment', 'prevention.comment-too-long', `comment: at most ${COMMENT_MAX} characters`);
  }
  if (typeof comment === 'string' && CONTROL.test(comment)) throw invalid('comment', 'prevention.comment-invalid', 'comment: a text without control characters');
  return {
    mark: mark as PreventionMark,
    ...(typeof date === 'string' && date !== '' ? { date } : {}),
    ...(typeof comment === 'string' && comment.trim() !== '' ? { comment: comment.trim() } : {}),
  };
}

const unknownItem = (code: string) => new AppError(404, 'not-found', `code: no prevention item ${code} for this profile`, ['code']).withCode('prevention.unknown-item');

/** Whether an item of this code exists for the profile, on this day, whatever its distance. */
function itemExists(deps: PreventionDeps, input: PreventionInput, asOf: string, code: string): boolean {
  return computePrevention(input.profile, calendarsOf(deps), asOf, { horizonMonths: NO_HORIZON_MONTHS }).some((i) => i.code === code);
}

/** The inputs with this mark set (or removed). */
function withMark(input: PreventionInput, code: string, mark: StoredMark | undefined): PreventionInput {
  const marks = [...input.marks.filter((m) => m.code !== code), ...(mark ? [mark] : [])];
  return { marks, profile: { ...input.profile, marks: marks.map(({ code: c, mark: k, date }) => ({ code: c, mark: k, ...(date ? { date } : {}) })) } };
}

function checkCode(code: string): void {
  if (code.length === 0 || code.length > CODE_MAX || /[\s\u0000-\u001f]/.test(code)) throw unknownItem(code.slice(0, CODE_MAX));
}

/** PUT /api/prevention/items/:code */
export async function putMark(deps: PreventionDeps, ctx: RequestContext, patientId: string, code: string, body: Json): Promise<PreventionView> {
  assertActsFor(ctx, patientId);
  checkCode(code);
  const mark = parseMarkInput(body);
  const asOf = today(deps);
  return deps.repo.run(ctx, async (ops) => {
    const input = await readPreventionInput(ops, deps.fhirBase, patientId);
    if (!itemExists(deps, input, asOf, code)) throw unknownItem(code);
    if (mark.date !== undefined) {
      if (mark.date < input.profile.birthDate) throw invalid('date', 'prevention.date-before-birth', `date: ${mark.date} is before the birth (${input.profile.birthDate})`);
      if (mark.mark !== 'planned' && mark.date > asOf) throw invalid('date', 'prevention.date-in-future', `date: ${mark.date} is after today (${asOf})`);
    }
    await ops.withTables((q) =>
      q.query(
        `INSERT INTO prevention_mark (patient_id, code, mark, on_date, comment, marked_at, marked_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (patient_id, code) DO UPDATE SET mark = EXCLUDED.mark, on_date = EXCLUDED.on_date, comment = EXCLUDED.comment,
                                                      marked_at = EXCLUDED.marked_at, marked_by = EXCLUDED.marked_by`,
        [patientId, code, mark.mark, mark.date ?? null, mark.comment ?? null, ctx.now(), ctx.principal.userId],
      ),
    );
    const stored: StoredMark = { code, mark: mark.mark, ...(mark.date ? { date: mark.date } : {}), ...(mark.comment ? { comment: mark.comment } : {}) };
    return computeView(calendarsOf(deps), withMark(input, code, stored), asOf);
  });
}

/** DELETE /api/prevention/items/:code: the item goes back to its computed status. */
export async function deleteMark(deps: PreventionDeps, ctx: RequestContext, patientId: string, code: string): Promise<PreventionView> {
  assertActsFor(ctx, patientId);
  checkCode(code);
  const asOf = today(deps);
  return deps.repo.run(ctx, async (ops) => {
    const input = await readPreventionInput(ops, deps.fhirBase, patientId);
    const marked = input.marks.some((m) => m.code === code);
    // a mark may outlive its item (a calendar changed): it can still be removed
    if (!marked && !itemExists(deps, input, asOf, code)) throw unknownItem(code);
    if (marked) await ops.withTables((q) => q.query('DELETE FROM prevention_mark WHERE patient_id = $1 AND code = $2', [patientId, code]));
    return computeView(calendarsOf(deps), withMark(input, code, undefined), asOf);
  });
}
