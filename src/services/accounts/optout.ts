import { createHmac, randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../errors.js';
import { objectionProof } from '../documents/index.js';
import { maskNir } from '../documents/format.js';
import { DAY_MS } from '../clock.js';
import type { AccountsDeps, InsuredRow } from './context.js';
import { checkNirAndCode, findInsured, findInsuredByNir, nirOrThrow, useCode } from './codes.js';
import { issueCodes } from './notices.js';
import { transition } from './lifecycle.js';
import { formatCode } from '../../domain/accounts/index.js';
import { isCoveredMinor } from './activation.js';

/** Objection to the creation of a profile (opt-out), its proof, and new codes on request. */

const objectionRefused = () =>
  new AppError(400, 'invalid', 'These details do not allow an objection: check the NIR and the code, which may have expired or been used').withCode(
    'optout.invalid',
  );

export interface Objection {
  reference: string;
  objectedAt: string;
  proofKey: string;
}

function newReference(): string {
  return `OPP-${randomBytes(6).toString('hex').toUpperCase()}`;
}

export function proofKey(deps: AccountsDeps, reference: string): string {
  return createHmac('sha256', deps.pepper).update(`proof:${reference}`).digest('base64url').slice(0, 32);
}

function canObject(i: InsuredRow, now: Date): boolean {
  return (i.state === 'notified' || i.state === 'imported') && (i.due_at === null || new Date(i.due_at) > now);
}

/** The person objects online with their NIR and code, before the opening date. */
export async function objectOnline(deps: AccountsDeps, input: { nir: unknown; code: unknown; source?: string }): Promise<Objection> {
  const now = deps.clock.now();
  const { insured, codeHash } = await checkNirAndCode(deps, { ...input, source: input.source }, (i) => canObject(i, now), objectionRefused);
  const reference = newReference();
  await deps.db.transaction(async (tx) => {
    await useCode(tx, insured.id, codeHash, now, objectionRefused);
    await transition(tx, insured, 'objected', {
      actor: 'self',
      at: now,
      dueAt: null,
      reason: 'objection online',
      set: { objection_ref: reference, objection_channel: 'online' },
    });
  });
  return { reference, objectedAt: now.toISOString(), proofKey: proofKey(deps, reference) };
}

/** The operator records an objection made by phone. */
export async function objectByPhone(deps: AccountsDeps, insuredId: string, actor: string): Promise<Objection> {
  const now = deps.clock.now();
  const insured = await findInsured(deps.db, insuredId);
  if (!insured) throw notFound('No such insured person');
  if (!canObject(insured, now)) {
    throw new AppError(409, 'business-rule', `An objection cannot be recorded for a profile in state ${insured.state}`).withCode('optout.too-late');
  }
  const reference = newReference();
  await deps.db.transaction((tx) =>
    transition(tx, insured, 'objected', { actor, at: now, dueAt: null, reason: 'objection by phone', set: { objection_ref: reference, objection_channel: 'phone' } }),
  );
  return { reference, objectedAt: now.toISOString(), proofKey: proofKey(deps, reference) };
}

/** The proof of objection, for whoever holds the reference and its key (the link given at objection). */
export async function objectionProofPdf(deps: AccountsDeps, reference: string, key: string): Promise<Uint8Array> {
  if (!/^OPP-[0-9A-F]{12}$/.test(reference) || key !== proofKey(deps, reference)) throw notFound('No such proof of objection');
  const { rows } = await deps.db.query<InsuredRow & { objected_at: Date }>(
    `SELECT i.nir, i.birth_name, i.first_given_name, to_char(i.birth_date, 'YYYY-MM-DD') AS birth_date, i.objection_channel,
            (SELECT max(at) FROM insured_event e WHERE e.insured_id = i.id AND e.to_state = 'opposed') AS objected_at
       FROM insured i WHERE i.objection_ref = $1`,
    [reference],
  );
  const r = rows[0];
  if (!r) throw notFound('No such proof of objection');
  return objectionProof({
    operatorName: deps.config.operatorName,
    reference,
    objectedAt: new Date(r.objected_at),
    channel: r.objection_channel ?? 'online',
    person: { familyName: r.birth_name, givenName: r.first_given_name, birthDate: r.birth_date, nirMasked: maskNir(r.nir) },
  });
}

/**
 * A new code by e-mail, on request with the NIR and the birth date. Always accepted, so that the answer
 * tells nothing; a code is sent only when the person is known, the birth date matches, an e-mail is on file
 * and the profile can still be activated.
 */
export async function resendCode(deps: AccountsDeps, input: { nir: unknown; birthDate: unknown }): Promise<void> {
  const nir = nirOrThrow(input.nir);
  if (typeof input.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.birthDate)) {
    throw new AppError(400, 'invalid', 'birthDate must be a date (YYYY-MM-DD)', ['birthDate']).withCode('birthdate.invalid');
  }
  const insured = await findInsuredByNir(deps.db, nir);
  if (!insured || insured.birth_date !== input.birthDate || !insured.email) return;
  if (!['notified', 'open', 'closed'].includes(insured.state) || isCoveredMinor(insured, deps.clock.now())) return;
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const codes = await issueCodes(tx, deps, [insured.id], now);
    await deps.mailer.enqueue(tx, {
      to: insured.email!,
      template: 'new-code',
      params: { givenName: insured.first_given_name, code: formatCode(codes.get(insured.id)!), expiresOn: new Date(now.getTime() + deps.config.codeTtlDays * DAY_MS).toISOString() },
    });
  });
}
