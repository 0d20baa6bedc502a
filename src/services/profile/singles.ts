import type { BloodGroup, OrganDonation } from '../../contract/profile.js';
import { BLOOD_GROUP_LOINC, bloodGroupFromFhir, bloodGroupToFhir, isBloodGroup, parseBloodGroup } from '../../domain/profile/sections/blood-group.js';
import { sourceExtension, sourceOf, type Json } from '../../domain/profile/sections/index.js';
import { isOrganDonation, ORGAN_DONATION, organDonationFromFhir, organDonationToFhir, parseOrganDonation } from '../../domain/profile/sections/organ-donation.js';
import { LOINC, PROFILE_CATEGORY_SYSTEM } from '../../domain/profile/systems.js';
import { AppError, notFound } from '../../errors.js';
import type { FhirOperations, RequestContext, StoredVersion } from '../../repo/index.js';
import type { ProfileDeps } from './deps.js';
import { assertActsFor, search, sourceOfCaller } from './sections.js';

/**
 * The single-valued parts of the profile: the blood group (an Observation LOINC 882-1) and the organ-donation
 * wish (a Consent of category organ-donation). A record holds at most one of each: the repository refuses a
 * second one (409), whoever writes it (rules.ts, sections/singletons.ts).
 */

const json = (v: StoredVersion): Json => JSON.parse(v.content!) as Json;

export async function currentBloodGroup(ops: FhirOperations, fhirBase: string, patientId: string): Promise<StoredVersion | undefined> {
  const found = await search(ops, fhirBase, 'Observation', { patient: patientId, code: `${LOINC}|${BLOOD_GROUP_LOINC}` });
  return found.versions.find((v) => isBloodGroup(json(v)) && json(v).status !== 'entered-in-error');
}

export function bloodGroupView(v: StoredVersion): BloodGroup | null {
  const r = json(v);
  const group = bloodGroupFromFhir(r);
  return group ? { id: v.id, group, updatedAt: v.lastUpdated, source: sourceOf(r) } : null;
}

export async function getBloodGroup(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<{ bloodGroup: BloodGroup | null }> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(
    ctx,
    async (ops) => {
      const v = await currentBloodGroup(ops, deps.fhirBase, patientId);
      return { bloodGroup: v ? bloodGroupView(v) : null };
    },
    { readOnly: true },
  );
}

/** The repository's 409 for a second blood group, named by the API's field. */
function asGroupField(err: unknown): never {
  if (err instanceof AppError && err.code === 'blood-group.exists') throw new AppError(409, 'duplicate', `group: ${err.message}`, ['group']).withCode(err.code);
  throw err;
}

/** POST /api/profile/blood-group: 409 blood-group.exists (field group) when one is recorded. */
export async function createBloodGroup(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Json): Promise<BloodGroup> {
  assertActsFor(ctx, patientId);
  const group = parseBloodGroup(body, ctx.now());
  return deps.repo
    .run(ctx, async (ops) => bloodGroupView((await ops.create(bloodGroupToFhir(group, patientId, [sourceExtension(sourceOfCaller(ctx))], ctx.now()))).version)!)
    .catch(asGroupField);
}

/** PUT /api/profile/blood-group: changes the recorded one (404 blood-group.none when there is none). */
export async function updateBloodGroup(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Json): Promise<BloodGroup> {
  assertActsFor(ctx, patientId);
  const group = parseBloodGroup(body, ctx.now());
  return deps.repo
    .run(ctx, async (ops) => {
      const current = await currentBloodGroup(ops, deps.fhirBase, patientId);
      if (!current) throw notFound('No blood group is recorded: add one').withCode('blood-group.none');
      const resource = { ...bloodGroupToFhir(group, patientId, [sourceExtension(sourceOfCaller(ctx))], ctx.now()), id: current.id };
      return bloodGroupView((await ops.update(resource)).version)!;
    })
    .catch(asGroupField);
}

export async function deleteBloodGroup(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<void> {
  assertActsFor(ctx, patientId);
  await deps.repo.run(ctx, async (ops) => {
    const current = await currentBloodGroup(ops, deps.fhirBase, patientId);
    if (current) await ops.delete('Observation', current.id);
  });
}

// --- organ donation ------------------------------------------------------------------------------------------

export async function currentOrganDonation(ops: FhirOperations, fhirBase: string, patientId: string): Promise<StoredVersion | undefined> {
  const found = await search(ops, fhirBase, 'Consent', { patient: patientId, category: `${PROFILE_CATEGORY_SYSTEM}|${ORGAN_DONATION}` });
  return found.versions.find((v) => isOrganDonation(json(v)) && json(v).status !== 'entered-in-error');
}

export function organDonationView(v: StoredVersion): OrganDonation {
  const r = json(v);
  return { id: v.id, ...organDonationFromFhir(r), updatedAt: v.lastUpdated, source: sourceOf(r) };
}

export async function getOrganDonation(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<{ organDonation: OrganDonation | null }> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(
    ctx,
    async (ops) => {
      const v = await currentOrganDonation(ops, deps.fhirBase, patientId);
      return { organDonation: v ? organDonationView(v) : null };
    },
    { readOnly: true },
  );
}

/** PUT /api/profile/organ-donation: records or changes the wish. */
export async function putOrganDonation(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Json): Promise<OrganDonation> {
  assertActsFor(ctx, patientId);
  const input = parseOrganDonation(body, ctx.now());
  return deps.repo.run(ctx, async (ops) => {
    await ops.withTables((q) => q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`organ-donation/${patientId}`]));
    const current = await currentOrganDonation(ops, deps.fhirBase, patientId);
    const resource = organDonationToFhir(input, patientId, [sourceExtension(sourceOfCaller(ctx))], ctx.now());
    const { version } = current ? await ops.update({ ...resource, id: current.id }) : await ops.create(resource);
    return organDonationView(version);
  });
}

export async function deleteOrganDonation(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<void> {
  assertActsFor(ctx, patientId);
  await deps.repo.run(ctx, async (ops) => {
    const current = await currentOrganDonation(ops, deps.fhirBase, patientId);
    if (current) await ops.delete('Consent', current.id);
  });
}
