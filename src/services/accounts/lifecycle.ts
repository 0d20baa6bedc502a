import type { Queryable } from '../../db/index.js';
import { nextState, type ProfileEvent, type ProfileState } from '../../domain/accounts/index.js';
import { AppError } from '../../errors.js';

/**
 * Applies a lifecycle event to a profile, in the caller's transaction: checks the transition is allowed
 * (domain/accounts/lifecycle.ts), moves the state (only if nobody moved it meanwhile), sets the next
 * deadline and records the transition in insured_event. Returns the new state.
 */
export async function transition(
  q: Queryable,
  insured: { id: string; state: string },
  event: ProfileEvent,
  opts: { actor: string; at: Date; dueAt?: Date | null; reason?: string; set?: Record<string, unknown> },
): Promise<ProfileState> {
  const to = nextState(insured.state as ProfileState, event);
  if (!to) throw new AppError(409, 'business-rule', `A profile in state ${insured.state} cannot go through '${event}'`).withCode('profile.wrong-state');
  const extra = Object.entries(opts.set ?? {});
  const { rowCount } = await q.query(
    `UPDATE insured SET state = $3, state_since = $4, due_at = $5, updated_at = $4
       ${extra.map(([k], i) => `, ${k} = $${i + 6}`).join('')}
     WHERE id = $1 AND state = $2`,
    [insured.id, insured.state, to, opts.at, opts.dueAt ?? null, ...extra.map(([, v]) => v)],
  );
  if (rowCount === 0) throw new AppError(409, 'conflict', 'The profile changed meanwhile; try again').withCode('profile.changed');
  await recordEvents(q, [{ insuredId: insured.id, from: insured.state, to, actor: opts.actor, reason: opts.reason ?? null }], opts.at);
  return to;
}

export interface LifecycleEvent {
  insuredId: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string | null;
}

/** Records transitions (one statement for many: bulk imports and deadline sweeps). */
export async function recordEvents(q: Queryable, events: LifecycleEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await q.query(
    `INSERT INTO insured_event (insured_id, at, from_state, to_state, actor, reason)
     SELECT e.id, $6, e.f, e.t, e.a, e.r
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS e(id, f, t, a, r)
     ON CONFLICT DO NOTHING`,
    [
      events.map((e) => e.insuredId),
      events.map((e) => e.from),
      events.map((e) => e.to),
      events.map((e) => e.actor),
      events.map((e) => e.reason),
      at,
    ],
  );
}
