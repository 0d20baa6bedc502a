import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { formatCode, makeCode } from '../../domain/accounts/index.js';
import { DAY_MS } from '../clock.js';
import type { OutgoingMail } from '../mail/mailer.js';
import type { NoticeLetter } from '../documents/index.js';
import type { AccountsDeps } from './context.js';
import { recordEvents } from './lifecycle.js';
import { codeHash } from './secrets.js';

/**
 * Codes provisoires and opt-out notices. A code is 12 characters, single use, stored as a keyed hash, and
 * expires after CODE_TTL_DAYS. The notice goes by e-mail when an address is known; otherwise the person waits
 * for the letter batch (`printLetters`), and the 6-week window starts when the letter is printed.
 */

/** Creates a new code for each person (plain codes returned, hashes stored), in the caller's transaction. */
export async function issueCodes(q: Queryable, deps: AccountsDeps, insuredIds: string[], now: Date): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (const id of insuredIds) codes.set(id, makeCode(randomBytes(12)));
  if (insuredIds.length === 0) return codes;
  await q.query(
    `INSERT INTO enrolment_code (insured_id, code_hash, created_at, expires_at)
     SELECT unnest($1::uuid[]), unnest($2::text[]), $3, $4`,
    [insuredIds, insuredIds.map((id) => codeHash(deps.pepper, codes.get(id)!)), now, new Date(now.getTime() + deps.config.codeTtlDays * DAY_MS)],
  );
  return codes;
}

interface AddresseeRow {
  id: string;
  nir: string;
  birth_name: string;
  first_given_name: string;
  email: string | null;
  address: { line: string; postalCode: string; city: string } | null;
}

/** A letter to print: what documents/noticeLetters renders. */
export type Letter = NoticeLetter;

/**
 * Sends the notices of the people still in state `imported` (of one import, or all): an e-mail for those
 * with an address, who become `notified` with their opening date; those without wait for the letters.
 * Children covered by a notified parent are notified with them. One pass per chunk, set-based.
 */
export async function sendNotices(deps: AccountsDeps, opts: { importId?: string; chunk?: number } = {}): Promise<{ emailed: number; letters: number; children: number }> {
  const chunk = opts.chunk ?? 5000;
  let emailed = 0;
  let letters = 0;
  let children = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      // adults, and children whose covering parent is not known to Carnet
      const { rows } = await tx.query<AddresseeRow>(
        `SELECT i.id, i.nir, i.birth_name, i.first_given_name, i.email, i.address FROM insured i
          WHERE i.state = 'imported' AND i.id > $1 AND i.notice_channel IS NULL ${opts.importId ? 'AND i.import_id = $3' : ''}
            AND (i.covered_by_nir IS NULL OR NOT EXISTS (SELECT 1 FROM insured p WHERE p.nir = i.covered_by_nir))
          ORDER BY i.id LIMIT $2`,
        opts.importId ? [after, chunk, opts.importId] : [after, chunk],
      );
      if (rows.length === 0) return true;
      after = rows[rows.length - 1]!.id;
      const byMail = rows.filter((r) => r.email);
      const byLetter = rows.filter((r) => !r.email);
      const dueAt = new Date(now.getTime() + deps.config.optOutWindowDays * DAY_MS);
      await notifyByEmail(tx, deps, byMail, now, dueAt);
      if (byLetter.length) {
        await tx.query(`UPDATE insured SET notice_channel = 'letter', updated_at = $2 WHERE id = ANY($1)`, [byLetter.map((r) => r.id), now]);
      }
      children += await notifyChildren(tx, byMail.map((r) => r.nir), now);
      emailed += byMail.length;
      letters += byLetter.length;
      return rows.length < chunk;
    });
    if (done) break;
  }
  children += await notifyChildrenOf(deps, opts.importId);
  return { emailed, letters, children };
}

/**
 * Children still `imported` whose covering parent was notified follow the parent's deadline; those whose
 * parent's profile is already open or active (a birth after the campaign) are due at once, so the next
 * sweep opens them and the parent reaches them at their next sign-in. One statement.
 */
async function notifyChildrenOf(deps: AccountsDeps, importId: string | undefined): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE insured c SET state = 'notified', state_since = $1, due_at = CASE WHEN p.state = 'notified' THEN p.due_at ELSE $1 END,
                            notified_at = $1, updated_at = $1
         FROM insured p
        WHERE c.state = 'imported' AND c.covered_by_nir = p.nir AND p.state IN ('notified', 'open', 'active') ${importId ? 'AND c.import_id = $2' : ''}
        RETURNING c.id`,
      importId ? [now, importId] : [now],
    );
    await recordEvents(tx, rows.map((r) => ({ insuredId: r.id, from: 'imported', to: 'notified', actor: 'carnet', reason: 'notice sent to the legal representative' })), now);
    return rows.length;
  });
}

async function childrenNames(q: Queryable, parentNirs: string[]): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  if (parentNirs.length === 0) return names;
  const { rows } = await q.query<{ covered_by_nir: string; first_given_name: string }>(
    'SELECT covered_by_nir, first_given_name FROM insured WHERE covered_by_nir = ANY($1) ORDER BY birth_date',
    [parentNirs],
  );
  for (const r of rows) names.set(r.covered_by_nir, [...(names.get(r.covered_by_nir) ?? []), r.first_given_name]);
  return names;
}

async function notifyByEmail(q: Queryable, deps: AccountsDeps, rows: AddresseeRow[], now: Date, dueAt: Date): Promise<void> {
  if (rows.length === 0) return;
  const codes = await issueCodes(q, deps, rows.map((r) => r.id), now);
  const names = await childrenNames(q, rows.map((r) => r.nir));
  const mails: OutgoingMail[] = rows.map((r) => ({
    to: r.email!,
    template: 'optout-notice',
    params: {
      insuredId: r.id,
      givenName: r.first_given_name,
      familyName: r.birth_name,
      code: formatCode(codes.get(r.id)!),
      opensOn: dueAt.toISOString(),
      children: names.get(r.nir) ?? [],
    },
  }));
  await deps.mailer.enqueue(q, mails);
  await q.query(
    `UPDATE insured SET state = 'notified', state_since = $2, due_at = $3, notice_channel = 'email', notified_at = $2, updated_at = $2
      WHERE id = ANY($1) AND state = 'imported'`,
    [rows.map((r) => r.id), now, dueAt],
  );
  await recordEvents(q, rows.map((r) => ({ insuredId: r.id, from: 'imported', to: 'notified', actor: 'carnet', reason: 'notice sent by e-mail' })), now);
}

/** Children still `imported` whose covering parent is now notified follow the parent's deadline. */
async function notifyChildren(q: Queryable, parentNirs: string[], now: Date): Promise<number> {
  if (parentNirs.length === 0) return 0;
  const { rows } = await q.query<{ id: string }>(
    `UPDATE insured c SET state = 'notified', state_since = $2, due_at = p.due_at, notified_at = $2, updated_at = $2
       FROM insured p
      WHERE p.nir = ANY($1) AND c.covered_by_nir = p.nir AND c.state = 'imported' AND p.state = 'notified'
      RETURNING c.id`,
    [parentNirs, now],
  );
  await recordEvents(q, rows.map((r) => ({ insuredId: r.id, from: 'imported', to: 'notified', actor: 'carnet', reason: 'notice sent to the legal representative' })), now);
  return rows.length;
}

/**
 * A notice e-mail that could not be delivered after every retry: the notice goes by post instead (R1111-28),
 * and the 6-week window starts again when the letter is printed.
 */
export async function fallBackToLetter(deps: AccountsDeps, insuredId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rowCount } = await tx.query(
      `UPDATE insured SET notice_channel = 'letter', letter_printed_at = NULL, updated_at = $2 WHERE id = $1 AND state = 'notified'`,
      [insuredId, now],
    );
    if (rowCount) {
      await recordEvents(tx, [{ insuredId, from: 'notified', to: 'notified', actor: 'carnet', reason: 'notice e-mail undeliverable: a letter will be sent' }], now);
    }
  });
}

/**
 * The letters not printed yet, up to `limit`: each gets a new code, and the person is `notified` with the
 * 6-week window starting now (also when an undeliverable e-mail notice came first). Returns the letters to
 * print; the caller renders the PDF.
 */
export async function printLetters(deps: AccountsDeps, limit = 5000): Promise<Letter[]> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rows } = await tx.query<AddresseeRow & { state: string }>(
      `SELECT id, nir, birth_name, first_given_name, email, address, state FROM insured
        WHERE notice_channel = 'letter' AND letter_printed_at IS NULL AND state IN ('imported', 'notified')
        ORDER BY id LIMIT $1 FOR UPDATE`,
      [limit],
    );
    if (rows.length === 0) return [];
    const dueAt = new Date(now.getTime() + deps.config.optOutWindowDays * DAY_MS);
    const codes = await issueCodes(tx, deps, rows.map((r) => r.id), now);
    const names = await childrenNames(tx, rows.map((r) => r.nir));
    await tx.query(
      `UPDATE insured SET state = 'notified', state_since = $2, due_at = $3, letter_printed_at = $2, notified_at = $2, updated_at = $2
        WHERE id = ANY($1)`,
      [rows.map((r) => r.id), now, dueAt],
    );
    // children who followed the parent's e-mail notice follow the letter's deadline
    await tx.query(
      `UPDATE insured c SET due_at = $2, updated_at = $3 FROM insured p
        WHERE p.id = ANY($1) AND c.covered_by_nir = p.nir AND c.state = 'notified'`,
      [rows.map((r) => r.id), dueAt, now],
    );
    await recordEvents(tx, rows.map((r) => ({ insuredId: r.id, from: r.state, to: 'notified', actor: 'carnet', reason: 'notice sent by post' })), now);
    await notifyChildren(tx, rows.map((r) => r.nir), now);
    return rows.map((r) => ({
      familyName: r.birth_name,
      givenName: r.first_given_name,
      address: r.address ?? { line: '', postalCode: '', city: '' },
      code: formatCode(codes.get(r.id)!),
      opensOn: dueAt,
      children: names.get(r.nir) ?? [],
    }));
  });
}
