import { SYSTEM } from '../../domain/access/index.js';
import { makeContext } from '../../repo/index.js';
import type { AccountsDeps, InsuredRow } from './context.js';
import { INSURED_COLUMNS } from './context.js';
import { recordEvents } from './lifecycle.js';
import { notify } from './notifications.js';
import { patientResource } from './patient.js';

/**
 * Opening profiles: the Patient resource is created (through the repository, as Carnet, validated and
 * audited) and the state goes from `notified` to `open`. Idempotent: a crash between the two steps is
 * repaired by the next run, which writes the Patient again.
 */
export async function openProfiles(deps: AccountsDeps, rows: InsuredRow[], reason: string): Promise<string[]> {
  if (rows.length === 0) return [];
  await deps.repo.run(makeContext(SYSTEM, { now: () => deps.clock.now() }), async (ops) => {
    for (const r of rows) await ops.update(patientResource(r));
  });
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rows: opened } = await tx.query<{ id: string }>(
      `UPDATE insured SET state = 'open', state_since = $2, due_at = NULL, updated_at = $2
        WHERE id = ANY($1) AND state = 'notified' RETURNING id`,
      [rows.map((r) => r.id), now],
    );
    const ids = opened.map((r) => r.id);
    await recordEvents(tx, ids.map((id) => ({ insuredId: id, from: 'notified', to: 'open', actor: 'carnet', reason })), now);
    await notify(tx, deps.mailer, ids.map((id) => ({ patientId: id, category: 'account' as const, type: 'profile-opened' })), now);
    return ids;
  });
}

/** The deadline job: profiles whose 6-week window has passed without objection are opened. */
export async function openDueProfiles(deps: AccountsDeps, limit = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await deps.db.query<InsuredRow>(
      `SELECT ${INSURED_COLUMNS} FROM insured WHERE state = 'notified' AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [deps.clock.now(), limit],
    );
    total += (await openProfiles(deps, rows, 'six weeks without objection')).length;
    if (rows.length < limit) return total;
  }
}
