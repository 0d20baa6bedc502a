import type { Queryable } from '../../db/index.js';
import { fhirInstant, fromAppointment, parseInstant, patientOf, toAppointment, type AgendaEntry, type AgendaInput } from '../../domain/agenda/index.js';
import { AppError, badRequest, refusal } from '../../errors.js';
import { parseSearch } from '../../fhir/search/parse.js';
import { encodeSearchCursor } from '../../fhir/search/paging.js';
import type { FhirOperations, RequestContext } from '../../repo/index.js';
import type { ProfileDeps } from '../profile/deps.js';
import { syncReminder } from './reminders.js';

/**
 * The patient's agenda (docs/agenda.md): Appointments of the record, read and written through the repository
 * with the caller's context (the access policy decides, the audit trail records). Every write keeps the
 * reminder row of the entry in step, in the same transaction.
 */

type Json = Record<string, unknown>;

/** At most this many entries in one list. */
export const MAX_LIST = 1000;

export type ListQuery = { when: 'future' | 'past' } | { from: string; to: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The list query of GET /api/agenda: ?when=future|past (future by default) or ?from=YYYY-MM-DD&to=YYYY-MM-DD. */
export function parseListQuery(q: Record<string, unknown>): ListQuery {
  if (q.from !== undefined || q.to !== undefined) {
    for (const field of ['from', 'to'] as const) {
      const v = q[field];
      if (typeof v !== 'string' || !DAY.test(v) || !parseInstant(`${v}T00:00:00Z`)) throw badRequest(`${field} is a date YYYY-MM-DD`, [field]).withCode('agenda.invalid');
    }
    const from = q.from as string;
    const to = q.to as string;
    if (to < from) throw badRequest('to comes before from', ['to']).withCode('agenda.invalid');
    return { from, to };
  }
  const when = q.when ?? 'future';
  if (when !== 'future' && when !== 'past') throw badRequest('when is future or past', ['when']).withCode('agenda.invalid');
  return { when };
}

/** Every Appointment of the record matching the criteria, following the pages (at most `max`). */
export async function searchAppointments(ops: FhirOperations, fhirBase: string, patientId: string, criteria: [string, string][], sort: string, max = MAX_LIST): Promise<{ resource: Json; lastUpdated: string; versionId: number }[]> {
  const out: { resource: Json; lastUpdated: string; versionId: number }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const params = new URLSearchParams([['patient', patientId], ...criteria, ['_sort', sort], ['_count', '200'], ...(cursor ? [['_cursor', cursor] as [string, string]] : [])]);
    const found = await ops.search('Appointment', parseSearch('Appointment', params, { defaultCount: 200, maxCount: 200, strict: true, fhirBase }));
    for (const v of found.versions) if (out.length < max) out.push({ resource: JSON.parse(v.content!) as Json, lastUpdated: v.lastUpdated, versionId: v.versionId });
    if (!found.next || out.length >= max) return out;
    cursor = encodeSearchCursor(found.next);
  }
}

export async function listEntries(deps: ProfileDeps, ctx: RequestContext, patientId: string, query: ListQuery): Promise<{ entries: AgendaEntry[] }> {
  const now = fhirInstant(deps.clock.now());
  const [criteria, sort]: [[string, string][], string] =
    'when' in query
      ? query.when === 'future'
        ? [[['date', `ge${now}`]], 'date']
        : [[['date', `lt${now}`]], '-date']
      : [[['date', `ge${query.from}`], ['date', `le${query.to}`]], 'date'];
  const found = await deps.repo.run(ctx, (ops) => searchAppointments(ops, deps.fhirBase, patientId, criteria, sort), { readOnly: true });
  return { entries: found.map((f) => fromAppointment(f.resource)) };
}

/** The entry of the acting record, or 404 (deleted, unknown, or another record's). */
async function currentEntry(ops: FhirOperations, patientId: string, id: string): Promise<Json> {
  const unknown = () => refusal(404, 'agenda.not-found', `No agenda entry ${id} in this profile`);
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw unknown();
  try {
    const v = await ops.read('Appointment', id);
    const resource = JSON.parse(v.content!) as Json;
    if (v.patientId !== patientId || patientOf(resource) !== patientId) throw unknown();
    return resource;
  } catch (err) {
    // another record's entry is unknown here (the repository has audited the attempt in that record)
    if (err instanceof AppError && (err.status === 403 || err.status === 404 || err.status === 410)) throw unknown();
    throw err;
  }
}

function assertEditable(resource: Json): void {
  const entry = fromAppointment(resource);
  if (!entry.editable) {
    throw refusal(403, 'agenda.app-entry', `This entry was written by ${entry.source.name ?? 'a connected app'}: it is read-only in Carnet`);
  }
}

const withTables = <T>(ops: FhirOperations, fn: (q: Queryable) => Promise<T>) => ops.withTables(fn);

export async function createEntry(deps: ProfileDeps, ctx: RequestContext, patientId: string, input: AgendaInput): Promise<AgendaEntry> {
  return deps.repo.run(ctx, async (ops) => {
    const { version } = await ops.create(toAppointment(input, patientId, { name: ctx.principal.displayName }));
    const resource = JSON.parse(version.content!) as Json;
    await withTables(ops, (q) => syncReminder(q, version.id, resource, ctx.now()));
    return fromAppointment(resource);
  });
}

export async function updateEntry(deps: ProfileDeps, ctx: RequestContext, patientId: string, id: string, input: AgendaInput): Promise<AgendaEntry> {
  return deps.repo.run(ctx, async (ops) => {
    assertEditable(await currentEntry(ops, patientId, id));
    const { version } = await ops.update(toAppointment(input, patientId, { name: ctx.principal.displayName }, id));
    const resource = JSON.parse(version.content!) as Json;
    await withTables(ops, (q) => syncReminder(q, id, resource, ctx.now()));
    return fromAppointment(resource);
  });
}

export async function deleteEntry(deps: ProfileDeps, ctx: RequestContext, patientId: string, id: string): Promise<void> {
  await deps.repo.run(ctx, async (ops) => {
    assertEditable(await currentEntry(ops, patientId, id));
    await ops.delete('Appointment', id);
    await withTables(ops, (q) => syncReminder(q, id, null, ctx.now()));
  });
}
