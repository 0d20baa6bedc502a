import { parseNir } from '../../domain/ins/index.js';
import { badRequest, notFound } from '../../errors.js';
import { bumpPrincipalGeneration } from '../../repo/index.js';
import { endSessions } from '../auth/sessions.js';
import { DAY_MS } from '../clock.js';
import type { AccountsDeps } from './context.js';
import { findInsured, findInsuredByNir } from './codes.js';
import { transition } from './lifecycle.js';
import { notify } from './notifications.js';

/** What operators see and do about one person: administrative data and lifecycle only, never health data. */

export async function adminLookup(deps: AccountsDeps, nirInput: unknown) {
  const parsed = typeof nirInput === 'string' ? parseNir(nirInput) : undefined;
  if (!parsed?.ok) throw badRequest('The NIR is not valid', ['nir']).withCode('nir.invalid');
  const i = await findInsuredByNir(deps.db, parsed.nir.value);
  if (!i) throw notFound('Nobody with this NIR in the population').withCode('insured.not-found');
  const { rows: events } = await deps.db.query<{ at: Date; from_state: string | null; to_state: string; actor: string; reason: string | null }>(
    'SELECT at, from_state, to_state, actor, reason FROM insured_event WHERE insured_id = $1 ORDER BY at, to_state',
    [i.id],
  );
  const { rows: account } = await deps.db.query<{ login: string; email_verified_at: Date | null; disabled_at: Date | null }>(
    'SELECT login, email_verified_at, disabled_at FROM app_user WHERE insured_id = $1',
    [i.id],
  );
  return {
    id: i.id,
    nir: i.nir,
    familyName: i.birth_name,
    usedName: i.used_name,
    givenName: i.first_given_name,
    birthDate: i.birth_date,
    sex: i.sex,
    email: i.email,
    address: i.address,
    coveredByNir: i.covered_by_nir,
    state: i.state,
    stateSince: new Date(i.state_since).toISOString(),
    dueAt: i.due_at ? new Date(i.due_at).toISOString() : null,
    noticeChannel: i.notice_channel,
    objectionReference: i.objection_ref,
    deleteRequested: i.delete_requested,
    account: account[0] ? { login: account[0].login, emailVerified: account[0].email_verified_at !== null, disabled: account[0].disabled_at !== null } : null,
    events: events.map((e) => ({ at: new Date(e.at).toISOString(), from: e.from_state, to: e.to_state, actor: e.actor, reason: e.reason })),
  };
}

/** The operator suspends a profile; it closes by itself after SUSPENSION_WINDOW_DAYS without objection. */
export async function suspendProfile(deps: AccountsDeps, insuredId: string, actor: string, reason: unknown): Promise<void> {
  if (typeof reason !== 'string' || reason.trim().length < 3) throw badRequest('A reason is required', ['reason']).withCode('suspend.reason-required');
  const insured = await findInsured(deps.db, insuredId);
  if (!insured) throw notFound('No such insured person').withCode('insured.not-found');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await notify(tx, deps.mailer, [{ patientId: insured.id, category: 'account', type: 'profile-suspended', params: { closesOn: new Date(now.getTime() + deps.config.suspensionWindowDays * DAY_MS).toISOString() } }], now);
    await transition(tx, insured, 'suspended', {
      actor,
      at: now,
      dueAt: new Date(now.getTime() + deps.config.suspensionWindowDays * DAY_MS),
      reason: reason.trim().slice(0, 500),
    });
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM app_user WHERE insured_id = $1', [insured.id]);
    if (rows[0]) await endSessions(tx, { userId: rows[0].id }, now);
  });
  bumpPrincipalGeneration();
}
