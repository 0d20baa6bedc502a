import { decide, type Principal } from '../../domain/access/index.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { Queryable } from '../../db/index.js';
import type { FhirOperations, Repository, RequestContext } from '../../repo/index.js';
import { loadCareAccess } from '../../repo/care.js';

/**
 * The access rule of a room about a patient (docs/chat.md#access): every read and every post of a member goes
 * through the repository with that member's own request context, as a read of the patient's record
 * (`Patient/<id>`). The access policy decides (médecin traitant, care team, consent, the patient's list,
 * blocks, closed profile), and the read is audited in the record, where the patient sees it; a refusal too.
 */

/** The repository's answers turned into the chat's: a refusal is 403 chat.patient-access, with the reason. */
function asChatError(err: unknown, creating: boolean): unknown {
  if (!(err instanceof AppError) || err.code) return err;
  if (err.status === 403) {
    return forbidden(`You may not read this patient's record: ${err.message.replace(/^Access denied: /, '')}`).withCode('chat.patient-access');
  }
  if (err.status === 404 || err.status === 410) {
    return creating
      ? notFound('This patient has no record').withCode('chat.patient-unknown')
      : forbidden("This patient's record is no longer available").withCode('chat.patient-access');
  }
  return err;
}

/**
 * Runs fn in one unit of work of the repository after the member's read of the patient's record was allowed
 * (and audited). `readOnly` for the units that only read (history).
 */
export async function withPatientAccess<T>(
  repo: Repository,
  ctx: RequestContext,
  patientId: string,
  fn: (ops: FhirOperations) => Promise<T>,
  opts: { readOnly?: boolean; creating?: boolean } = {},
): Promise<T> {
  try {
    return await repo.run(
      ctx,
      async (ops) => {
        await ops.read('Patient', patientId);
        return fn(ops);
      },
      opts.readOnly ? { readOnly: true } : {},
    );
  } catch (err) {
    throw asChatError(err, opts.creating === true);
  }
}

/**
 * Whether each of these professionals (other than the one asking) may read the patient's record now, by the
 * same policy: the reason of the first who may not, if any. Used when a room is created or a member added.
 */
export async function firstWithoutAccess(
  q: Queryable,
  patientId: string,
  practitioners: readonly { id: string; name: string }[],
  at: Date,
): Promise<{ id: string; name: string; reason: string } | undefined> {
  for (const p of practitioners) {
    const care = (await loadCareAccess(q, p.id, [patientId], at)).get(patientId);
    const principal: Principal = { userId: '', login: '', role: 'professional', displayName: p.name, practitionerId: p.id, represents: [] };
    const decision = decide(principal, { action: 'read', resourceType: 'Patient', patientId, ...(care ? { care } : {}) });
    if (!decision.allow) return { ...p, reason: decision.reason };
  }
  return undefined;
}
