import type { Principal } from '../domain/access/principal.js';

type Json = Record<string, unknown>;

/**
 * Who wrote a version, as Carnet saw it: a `meta.tag` of this system that the repository sets on every write
 * made for a signed-in caller, replacing any a client sent. Unlike `meta.source`, a performer or an extension,
 * which a client chooses, it cannot be forged: a patient or a connected app that names a Practitioner as
 * performer is still shown as what it is (issue 8, "entered by a professional").
 */
export const WRITTEN_BY_SYSTEM = 'https://carnet.example/fhir/CodeSystem/written-by';

export type WrittenBy = 'patient' | 'professional' | 'app' | 'operator';

/** The writer of a request: a third-party client acting for a patient is an app; practice software is its professional. */
export function writerOf(principal: Principal): WrittenBy | undefined {
  switch (principal.role) {
    case 'system':
      return undefined;
    case 'patient':
      return principal.scopes ? 'app' : 'patient';
    default:
      return principal.role;
  }
}

/** The types whose entries the patient's profile and agenda show with who entered them. */
export const STAMPED_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'Appointment',
  'Condition',
  'Consent',
  'Encounter',
  'FamilyMemberHistory',
  'Goal',
  'Immunization',
  'List',
  'MedicationStatement',
  'Observation',
  'Procedure',
  'RelatedPerson',
]);

/** The resource with its written-by tag set for this principal (Carnet's own writes keep what they carry). */
export function stampWriter(resource: Json, principal: Principal): Json {
  const writer = writerOf(principal);
  if (!writer || !STAMPED_TYPES.has(resource.resourceType as string)) return resource;
  const meta = (resource.meta as Json | undefined) ?? {};
  const tags = Array.isArray(meta.tag) ? (meta.tag as Json[]).filter((t) => t?.system !== WRITTEN_BY_SYSTEM) : [];
  return { ...resource, meta: { ...meta, tag: [...tags, { system: WRITTEN_BY_SYSTEM, code: writer }] } };
}

/** Who wrote the version, when Carnet recorded it (versions written before the tag existed have none). */
export function writtenBy(resource: Json): WrittenBy | undefined {
  const tags = ((resource.meta as Json | undefined)?.tag ?? []) as Json[];
  const code = Array.isArray(tags) ? tags.find((t) => t?.system === WRITTEN_BY_SYSTEM)?.code : undefined;
  return code === 'patient' || code === 'professional' || code === 'app' || code === 'operator' ? code : undefined;
}
