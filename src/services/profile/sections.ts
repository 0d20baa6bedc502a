import type { EntrySource, SectionList, SectionViews, VaccinationInput } from '../../contract/profile.js';
import {
  isUnconcernedSection,
  SECTIONS,
  sectionTagToken,
  sourceExtension,
  sourceOf,
  type Json,
  type ListSection,
} from '../../domain/profile/sections/index.js';
import { vaccinationToFhir, type Recorder } from '../../domain/profile/sections/vaccinations.js';
import { PROFILE_CATEGORY_SYSTEM } from '../../domain/profile/systems.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, RequestContext, StoredVersion } from '../../repo/index.js';
import { vaccineById } from '../reference/vaccines.js';
import type { ProfileDeps } from './deps.js';
import { findDeclaration, withdrawDeclaration } from './unconcerned.js';

/**
 * The list sections of the medical profile (docs/profile.md, src/contract/profile.ts): each entry a FHIR
 * resource of the patient's record, read and written through the repository with the caller's context (the
 * access policy decides, the audit trail records). A section's entries are the record's resources of its type
 * carrying its tag (every Immunization for the vaccinations); links between entries are references, and the
 * reverse links (a disease's treatments) are derived when listing.
 */

const MAX_ENTRIES = 500;

/** The caller must act for this record (their own, a child's, a helped person's): else 403. */
export function assertActsFor(ctx: RequestContext, patientId: string): void {
  if (ctx.principal.role !== 'patient' || !ctx.principal.represents.some((r) => r.patientId === patientId)) {
    throw forbidden('This is for the patient and the people acting for them').withCode('patient.only');
  }
}

export function search(ops: FhirOperations, fhirBase: string, type: string, params: Record<string, string>) {
  const p = new URLSearchParams({ _count: String(MAX_ENTRIES), ...params });
  return ops.search(type, parseSearch(type, p, { defaultCount: MAX_ENTRIES, maxCount: MAX_ENTRIES, strict: true, fhirBase }));
}

/** The current resources of a section in a record. */
export async function sectionResources(ops: FhirOperations, fhirBase: string, patientId: string, section: ListSection): Promise<StoredVersion[]> {
  const m = SECTIONS[section];
  const found = await search(ops, fhirBase, m.resourceType, { patient: patientId, ...(m.wholeType ? {} : { _tag: sectionTagToken(section) }) });
  return found.versions;
}

const json = (v: StoredVersion): Json => JSON.parse(v.content!) as Json;

/** Whether a resource carries the section's tag. */
function hasSectionTag(r: Json, section: string): boolean {
  const tags = ((r.meta as Json | undefined)?.tag as Json[] | undefined) ?? [];
  return tags.some((t) => t.system === PROFILE_CATEGORY_SYSTEM && t.code === section);
}

/** The view of one entry, without the derived links. */
export function entryView(section: ListSection, v: StoredVersion): Json {
  const r = json(v);
  return { id: v.id, ...SECTIONS[section].fromFhir(r), updatedAt: v.lastUpdated, source: sourceOf(r) };
}

/** The entries of a section, with the derived links (diseases' and allergies' treatments). */
export async function sectionEntries<S extends ListSection>(ops: FhirOperations, fhirBase: string, patientId: string, section: S): Promise<SectionViews[S][]> {
  const views = (await sectionResources(ops, fhirBase, patientId, section)).map((v) => entryView(section, v));
  if (section === 'diseases' || section === 'allergies') {
    const treatments = (await sectionResources(ops, fhirBase, patientId, 'treatments')).map((v) => entryView('treatments', v));
    const key = section === 'diseases' ? 'diseaseIds' : 'allergyIds';
    for (const view of views) view.treatmentIds = treatments.filter((t) => ((t[key] as string[] | undefined) ?? []).includes(view.id as string)).map((t) => t.id);
  }
  return sortEntries(section, views) as unknown as SectionViews[S][];
}

function sortEntries(section: ListSection, views: Json[]): Json[] {
  const dateOf = (v: Json): string => {
    const d = (v.start ?? v.date) as { year: number; month?: number; day?: number } | string | undefined;
    if (typeof d === 'string') return d;
    return d ? `${d.year}-${String(d.month ?? 0).padStart(2, '0')}-${String(d.day ?? 0).padStart(2, '0')}` : '';
  };
  const byDate = ['diseases', 'treatments', 'hospitalisations', 'vaccinations', 'habits'].includes(section);
  return views.sort((a, b) => (byDate ? dateOf(b).localeCompare(dateOf(a)) : 0) || String(b.updatedAt).localeCompare(String(a.updatedAt)) || String(a.id).localeCompare(String(b.id)));
}

/** GET /api/profile/sections/:section */
export async function listSection<S extends ListSection>(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: S): Promise<SectionList<S>> {
  assertActsFor(ctx, patientId);
  return deps.repo.run(
    ctx,
    async (ops) => {
      const entries = await sectionEntries(ops, deps.fhirBase, patientId, section);
      const declared = isUnconcernedSection(section) ? await findDeclaration(ops, deps.fhirBase, patientId, section) : undefined;
      return { section, entries, unconcerned: declared ? { declaredAt: declared.declaredAt } : null };
    },
    { readOnly: true },
  );
}

/** Who is writing, as an entry records it. */
export function sourceOfCaller(ctx: RequestContext): EntrySource {
  const p = ctx.principal;
  if (p.role === 'professional') return { kind: 'professional', name: p.displayName };
  return { kind: 'patient', name: p.displayName };
}

/** 422 naming the field when a link names something that is not an entry of this record (or not a document of it). */
async function checkLinks(ops: FhirOperations, patientId: string, input: Json): Promise<void> {
  const links: { field: string; type: string; tag?: string }[] = [
    { field: 'diseaseIds', type: 'Condition', tag: 'diseases' },
    { field: 'allergyIds', type: 'AllergyIntolerance', tag: 'allergies' },
    { field: 'documentIds', type: 'DocumentReference' },
  ];
  for (const link of links) {
    for (const id of (input[link.field] as string[] | undefined) ?? []) {
      let ok = false;
      try {
        const v = await ops.read(link.type, id);
        const r = json(v);
        ok = v.patientId === patientId && (!link.tag || hasSectionTag(r, link.tag));
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 410)) throw err;
      }
      if (!ok) throw new AppError(422, 'business-rule', `${link.field}: ${id} is not ${link.tag ? `an entry of ${link.tag}` : 'a document'} of this record`, [link.field]).withCode('profile.link-unknown');
    }
  }
}

/** The vaccine of the reference list, or 422 naming vaccineRefId. */
async function vaccineOf(deps: ProfileDeps, input: VaccinationInput) {
  const vaccine = await vaccineById(deps.db, input.vaccineRefId);
  if (!vaccine) throw new AppError(422, 'business-rule', `vaccineRefId: ${input.vaccineRefId} is not in the vaccine reference list`, ['vaccineRefId']).withCode('vaccinations.unknown-vaccine');
  return vaccine;
}

/** The resource of an entry, ready to write. */
async function resourceOf(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: ListSection, input: Json, recorder?: Recorder): Promise<Json> {
  const extension = [sourceExtension(sourceOfCaller(ctx))];
  if (section === 'vaccinations') {
    const v = input as unknown as VaccinationInput;
    return vaccinationToFhir(v, await vaccineOf(deps, v), patientId, extension, recorder);
  }
  return (SECTIONS[section].toFhir as unknown as (i: Json, p: string, e: Json[]) => Json)(input, patientId, extension);
}

/** A singleton refused by the repository, named by the API's field. */
function renamed(err: unknown): never {
  if (err instanceof AppError && err.code === 'contacts.trusted-exists') throw new AppError(409, 'duplicate', `kind: ${err.message}`, ['kind']).withCode(err.code);
  throw err;
}

/** POST /api/profile/sections/:section: the entry; a "non concerné" declaration of the section is withdrawn in the same unit. */
export async function createEntry<S extends ListSection>(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: S, body: Json): Promise<SectionViews[S]> {
  assertActsFor(ctx, patientId);
  const input = SECTIONS[section].parse(body, ctx.now()) as unknown as Json;
  const resource = await resourceOf(deps, ctx, patientId, section, input);
  return deps.repo
    .run(ctx, async (ops) => {
      await checkLinks(ops, patientId, input);
      const { version } = await ops.create(resource);
      if (isUnconcernedSection(section)) await withdrawDeclaration(ops, deps.fhirBase, patientId, section);
      return (await withDerived(ops, deps.fhirBase, patientId, section, entryView(section, version))) as unknown as SectionViews[S];
    })
    .catch(renamed);
}

/** A disease's or an allergy's treatments, for the view answered after a write. */
async function withDerived(ops: FhirOperations, fhirBase: string, patientId: string, section: ListSection, view: Json): Promise<Json> {
  if (section !== 'diseases' && section !== 'allergies') return view;
  const ref = section === 'diseases' ? `Condition/${view.id as string}` : `AllergyIntolerance/${view.id as string}`;
  const treatments = (await sectionResources(ops, fhirBase, patientId, 'treatments')).filter((v) => v.content!.includes(`"${ref}"`));
  return { ...view, treatmentIds: treatments.map((t) => t.id) };
}

/** The current entry of a section in this record, or 404 profile.entry-unknown. */
async function entryOf(ops: FhirOperations, patientId: string, section: ListSection, id: string): Promise<StoredVersion> {
  const m = SECTIONS[section];
  const unknown = () => notFound(`No such entry in ${section}`).withCode('profile.entry-unknown');
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw unknown();
  let v: StoredVersion;
  try {
    v = await ops.read(m.resourceType, id);
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 410)) throw unknown();
    throw err;
  }
  if (v.patientId !== patientId || (!m.wholeType && !hasSectionTag(json(v), section))) throw unknown();
  return v;
}

/** PUT /api/profile/sections/:section/:id */
export async function updateEntry<S extends ListSection>(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: S, id: string, body: Json): Promise<SectionViews[S]> {
  assertActsFor(ctx, patientId);
  const input = SECTIONS[section].parse(body, ctx.now()) as unknown as Json;
  const resource = await resourceOf(deps, ctx, patientId, section, input);
  return deps.repo
    .run(ctx, async (ops) => {
      const current = await entryOf(ops, patientId, section, id);
      if (section === 'vaccinations' && sourceOf(json(current)).kind === 'professional') {
        throw new AppError(403, 'forbidden', 'A vaccination recorded by a professional stays as they wrote it').withCode('vaccinations.professional-entry');
      }
      await checkLinks(ops, patientId, input);
      const { version } = await ops.update({ ...resource, id });
      return (await withDerived(ops, deps.fhirBase, patientId, section, entryView(section, version))) as unknown as SectionViews[S];
    })
    .catch(renamed);
}

/** DELETE /api/profile/sections/:section/:id: a deleted disease or allergy is unlinked from the treatments in the same unit. */
export async function deleteEntry(deps: ProfileDeps, ctx: RequestContext, patientId: string, section: ListSection, id: string): Promise<void> {
  assertActsFor(ctx, patientId);
  await deps.repo.run(ctx, async (ops) => {
    const current = await entryOf(ops, patientId, section, id);
    await ops.delete(current.resourceType, id);
    if (section === 'diseases' || section === 'allergies') {
      const ref = `${current.resourceType}/${id}`;
      for (const t of await sectionResources(ops, deps.fhirBase, patientId, 'treatments')) {
        if (!t.content!.includes(`"${ref}"`)) continue;
        const r = json(t);
        const keep = (refs: unknown) => (Array.isArray(refs) ? (refs as Json[]).filter((x) => x.reference !== ref) : refs);
        const ext = (Array.isArray(r.extension) ? (r.extension as Json[]) : []).filter((e) => (e.valueReference as Json | undefined)?.reference !== ref);
        const reasons = keep(r.reasonReference) as Json[] | undefined;
        const next: Json = { ...r, meta: { tag: (r.meta as Json).tag }, extension: ext, reasonReference: reasons };
        if (!reasons?.length) delete next.reasonReference;
        if (ext.length === 0) delete next.extension;
        await ops.update(next);
      }
    }
  });
}

/** Records a vaccination for the professional's patient (POST /api/pro/patients/:id/vaccinations). */
export async function recordVaccinationAsProfessional(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Json): Promise<SectionViews['vaccinations']> {
  const p = ctx.principal;
  if (p.role !== 'professional' || !p.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
  const input = SECTIONS.vaccinations.parse(body, ctx.now());
  const resource = await resourceOf(deps, ctx, patientId, 'vaccinations', input as unknown as Json, { practitionerId: p.practitionerId, display: p.displayName });
  return deps.repo.run(ctx, async (ops) => {
    const { version } = await ops.create(resource);
    return entryView('vaccinations', version) as unknown as SectionViews['vaccinations'];
  });
}
