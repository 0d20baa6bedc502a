import { CLOSABLE_SECTIONS, isClosableSection, type ClosableSection } from '../../domain/access/profile.js';
import type { Queryable } from '../../db/index.js';
import { badRequest, forbidden } from '../../errors.js';
import type { RequestContext } from '../../repo/index.js';
import type { ProfileDeps } from './deps.js';
import { assertActsFor } from './sections.js';

/**
 * The profile's settings (profile_settings): the sections closed to professionals ("mon histoire de santé",
 * "entourage et volontés"). The access policy reads them with every professional's request (repo/care.ts).
 * Not health data; written in a unit of work of the caller, after checking they act for the record.
 */
export interface ProfileSettings {
  closed: ClosableSection[];
}

export async function closedSections(q: Queryable, patientId: string): Promise<ClosableSection[]> {
  const { rows } = await q.query<{ closed_sections: string[] }>('SELECT closed_sections FROM profile_settings WHERE patient_id = $1', [patientId]);
  const closed = rows[0]?.closed_sections ?? [];
  return CLOSABLE_SECTIONS.filter((s) => closed.includes(s));
}

export function parseSettings(body: Record<string, unknown>): ProfileSettings {
  const closed = body.closed;
  if (!Array.isArray(closed) || !closed.every(isClosableSection)) {
    throw badRequest(`closed is a list of ${CLOSABLE_SECTIONS.join(', ')}`, ['closed']).withCode('profile.closed-invalid');
  }
  return { closed: CLOSABLE_SECTIONS.filter((s) => closed.includes(s)) };
}

/** GET /api/profile/settings */
export async function getProfileSettings(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<ProfileSettings> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(ctx, async (ops) => ({ closed: await ops.withTables((q) => closedSections(q, patientId)) }), { readOnly: true });
}

/**
 * PUT /api/profile/settings. Managing what professionals see is the patient's or their legal representative's,
 * not a carer's (domain.md §1.7).
 */
export async function setProfileSettings(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Record<string, unknown>): Promise<ProfileSettings> {
  assertActsFor(ctx, patientId);
  const relation = ctx.principal.represents.find((r) => r.patientId === patientId)?.relation;
  if (relation === 'carer') throw forbidden('A carer does not change what professionals see of the profile').withCode('profile.settings-carer');
  const settings = parseSettings(body);
  return deps.repo.run(ctx, async (ops) => {
    // the record's Patient, read through the policy: the caller acts for it (and the change is in its trail)
    await ops.read('Patient', patientId);
    await ops.withTables((q) =>
      q.query(
        `INSERT INTO profile_settings (patient_id, closed_sections, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (patient_id) DO UPDATE SET closed_sections = EXCLUDED.closed_sections, updated_at = EXCLUDED.updated_at`,
        [patientId, settings.closed, ctx.now()],
      ),
    );
    return settings;
  });
}
