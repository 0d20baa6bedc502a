import type { QuestionnaireBandSummary, QuestionnaireList, QuestionnaireResponseView, QuestionnaireView } from '../../../contract/prevention.js';
import {
  answersOf,
  checkAnswers,
  isOffered,
  missingRequired,
  responseFacts,
  responseResource,
  STATUS_OF,
  type Answers,
  type FhirResponseStatus,
  type Json,
  type KeyAgeQuestionnaire,
  type ResponseFacts,
} from '../../../domain/prevention/questionnaire/index.js';
import { patientName } from '../../../domain/profile/patient-name.js';
import { parisToday } from '../../../domain/profile/sections/common.js';
import { AppError, badRequest, notFound } from '../../../errors.js';
import { ID_PATTERN } from '../../../fhir/resource-types.js';
import type { FhirOperations, RequestContext, StoredVersion } from '../../../repo/index.js';
import { prepareUpload } from '../../dmp/uploads.js';
import { formatDateFr } from '../../documents/format.js';
import type { ProfileDeps } from '../../profile/deps.js';
import { search } from '../../profile/sections.js';
import { personOf } from '../profile-input.js';
import { questionnaires, type QuestionnaireCatalogue } from './catalogue.js';
import { prefillHabits } from './habits.js';
import { bandTitle, questionnaireFileName, questionnairePdf } from './pdf.js';

/**
 * The key-age questionnaires of a profile (docs/prevention.md "Key-age questionnaires"; shapes in
 * src/contract/prevention.ts): the bands offered, a response started as a draft on the band's current version,
 * saved (every save a new FHIR version, with the versionId read: a stale one is refused), finalised (required
 * questions answered; "habitudes de vie" pre-filled in the same unit of work), downloaded as a PDF and filed in
 * the documents. Every read and write goes through the repository as the acting person: the access policy
 * decides (the patient and the people acting for them; professionals and operators never), the audit records.
 */

type Deps = Pick<ProfileDeps, 'repo' | 'fhirBase' | 'clock' | 'operatorName' | 'dmp'>;

/** Who is filling in: the person themself, or someone acting for them (their name on the response). */
export interface Actor {
  patientId: string;
  relation: string;
  name: string;
}

/** LOINC "Questionnaire patient" (class 90), the type a filed response has in the documents. */
export const QUESTIONNAIRE_TYPE_CODE = '74465-6';

const TYPE = 'QuestionnaireResponse';

interface Loaded {
  version: StoredVersion;
  resource: Json;
  facts: ResponseFacts;
  questionnaire: KeyAgeQuestionnaire;
}

const unknownResponse = (id: string) => notFound(`id: no key-age questionnaire response ${id} in this profile`).withCode('questionnaire.response-unknown');
/** An instant as the API gives it (the store reads back `+00:00`): `2026-11-23T08:00:00.000Z`. */
const iso = (instant: string): string => new Date(instant).toISOString();
const conflict = (code: string, msg: string, fields?: string[]) => new AppError(409, 'conflict', msg, fields).withCode(code);

function view(l: Loaded): QuestionnaireResponseView {
  const status = STATUS_OF[l.facts.status as FhirResponseStatus] ?? 'draft';
  return {
    id: l.version.id,
    questionnaire: { url: l.questionnaire.url, version: l.questionnaire.version, title: l.questionnaire.title },
    status,
    versionId: String(l.version.versionId),
    answers: answersOf(l.questionnaire, l.resource),
    updatedAt: iso(l.version.lastUpdated),
    ...(status === 'final' && l.facts.authored ? { finalisedAt: l.facts.authored } : {}),
    ...(l.facts.documentId ? { documentId: l.facts.documentId } : {}),
  };
}

function loadedOf(catalogue: QuestionnaireCatalogue, v: StoredVersion): Loaded | undefined {
  if (!v.content) return undefined;
  const resource = JSON.parse(v.content) as Json;
  const facts = responseFacts(resource);
  const questionnaire = facts && (facts.status === 'in-progress' || facts.status === 'completed') ? catalogue.get(facts.url, facts.version) : undefined;
  return facts && questionnaire ? { version: v, resource, facts, questionnaire } : undefined;
}

/**
 * Serialises, until the unit of work ends, the writers of one key (two drafts of a band started at once, two
 * finalisations of one response): the second waits, then reads what the first wrote. The key of a response is
 * the repository's own lock of that resource, taken again by its update (advisory locks are re-entrant).
 */
function lock(ops: FhirOperations, key: string): Promise<unknown> {
  return ops.withTables((q) => q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]));
}

/** A response's lock (the key the repository locks to update it), once its id is known to be an id. */
function lockResponse(ops: FhirOperations, id: string): Promise<unknown> {
  if (!ID_PATTERN.test(id)) throw unknownResponse(id);
  return lock(ops, `${TYPE}/${id}`);
}

/**
 * The stored answers held to the rules of their version, as a save holds them: a response written through
 * /fhir (by the person or an app they connected) may carry codes no option has or texts of any length; its PDF
 * and its filing are refused with the same codes as a save (422 questionnaire.invalid-answer...).
 */
function checkedAnswers(l: Loaded): Answers {
  return checkAnswers(l.questionnaire, answersOf(l.questionnaire, l.resource)).answers;
}

/** A key-age response of this profile, or 404 questionnaire.response-unknown (another's is refused by the policy, audited). */
async function loadResponse(ops: FhirOperations, catalogue: QuestionnaireCatalogue, patientId: string, id: string): Promise<Loaded> {
  if (!ID_PATTERN.test(id)) throw unknownResponse(id);
  let v: StoredVersion;
  try {
    v = await ops.read(TYPE, id);
  } catch (err) {
    if (err instanceof AppError && (err.status === 403 || err.status === 404 || err.status === 410)) throw unknownResponse(id);
    throw err;
  }
  const loaded = v.patientId === patientId ? loadedOf(catalogue, v) : undefined;
  if (!loaded) throw unknownResponse(id);
  return loaded;
}

/** The profile's key-age responses, latest first. */
async function responsesOf(ops: FhirOperations, fhirBase: string, catalogue: QuestionnaireCatalogue, patientId: string): Promise<Loaded[]> {
  const found = await search(ops, fhirBase, TYPE, { patient: patientId });
  return found.versions
    .map((v) => loadedOf(catalogue, v))
    .filter((l): l is Loaded => l !== undefined)
    .sort((a, b) => Date.parse(b.version.lastUpdated) - Date.parse(a.version.lastUpdated) || a.version.id.localeCompare(b.version.id));
}

/** The versionId a request names: required where it guards a write. */
function versionIdOf(value: unknown, required: boolean): number | undefined {
  if ((value === undefined || value === null || value === '') && !required) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw badRequest('versionId is the versionId of the response last read', ['versionId']).withCode('request.invalid');
  return n;
}

function checkFresh(l: Loaded, versionId: number | undefined): void {
  if (versionId !== undefined && versionId !== l.version.versionId) {
    throw conflict('questionnaire.stale', `versionId: the response is at version ${l.version.versionId}, not ${versionId}: read it again`, ['versionId']);
  }
}

/** An update guarded by the versionId read: a concurrent save in between is a stale one. */
async function write(ops: FhirOperations, resource: Json, ifMatch: number): Promise<StoredVersion> {
  try {
    return (await ops.update(resource, { ifMatch })).version;
  } catch (err) {
    if (err instanceof AppError && err.status === 412) throw conflict('questionnaire.stale', 'versionId: the response changed meanwhile: read it again', ['versionId']);
    throw err;
  }
}

function rewrite(l: Loaded, actor: Actor, changes: { status?: FhirResponseStatus; answers?: Answers; authored?: string; documentId?: string }): Json {
  const previousAuthor = (l.resource.author as Json | undefined) ?? {};
  return responseResource({
    questionnaire: l.questionnaire,
    patientId: actor.patientId,
    id: l.version.id,
    status: changes.status ?? (l.facts.status as FhirResponseStatus),
    answers: changes.answers ?? answersOf(l.questionnaire, l.resource),
    authored: changes.authored ?? l.facts.authored ?? l.version.lastUpdated,
    // who last changed the answers is its author; filing changes none
    author: changes.answers || changes.status ? { self: actor.relation === 'self', name: actor.name } : { self: typeof previousAuthor.reference === 'string', name: typeof previousAuthor.display === 'string' ? previousAuthor.display : actor.name },
    documentId: changes.documentId ?? l.facts.documentId,
  });
}

// ---- the routes' use cases ---------------------------------------------------------------------------------

/** GET /api/prevention/questionnaires: the bands offered to the profile (and those it has responses to). */
export async function listQuestionnaires(deps: Deps, ctx: RequestContext, patientId: string, catalogue = questionnaires()): Promise<QuestionnaireList> {
  return deps.repo.run(
    ctx,
    async (ops) => {
      const { birthDate } = await personOf(ops, patientId);
      const responses = await responsesOf(ops, deps.fhirBase, catalogue, patientId);
      const today = parisToday(ctx.now());
      const out: QuestionnaireBandSummary[] = [];
      for (const band of catalogue.bands()) {
        const current = catalogue.current(band);
        if (!current) continue;
        const offered = birthDate !== undefined && isOffered(current.ageBand, birthDate, today);
        const mine = responses.filter((r) => r.questionnaire.band === band).map(view);
        if (!offered && mine.length === 0) continue;
        out.push({ band, url: current.url, version: current.version, title: current.title, ageBand: { ...current.ageBand }, offered, responses: mine });
      }
      return { questionnaires: out };
    },
    { readOnly: true },
  );
}

/** GET /api/prevention/questionnaires/:band[?version=]: the band's current version, or the one asked. */
export function questionnaireOf(band: string, version: unknown, catalogue = questionnaires()): QuestionnaireView {
  return catalogue.view(catalogue.versionOf(band, version));
}

/**
 * POST /api/prevention/questionnaires/:band/responses { answers? }: a new draft on the band's current version,
 * when the band is offered to the profile (422 questionnaire.not-offered, field band) and no draft of it is in
 * progress (409 questionnaire.draft-exists: continue that one).
 */
export async function startResponse(deps: Deps, ctx: RequestContext, actor: Actor, band: string, body: Json, catalogue = questionnaires()): Promise<QuestionnaireResponseView> {
  catalogue.versionOf(band);
  const q = catalogue.current(band);
  return deps.repo.run(ctx, async (ops) => {
    // two starts at once: the second sees the first one's draft (nothing else locks between the check and the write)
    await lock(ops, `questionnaire-draft/${actor.patientId}/${band}`);
    const { birthDate } = await personOf(ops, actor.patientId);
    if (!q || birthDate === undefined || !isOffered(q.ageBand, birthDate, parisToday(ctx.now()))) {
      throw new AppError(422, 'business-rule', `band: the ${band} questionnaire is offered from ${Number(band.split('-')[0]) - 1} to ${band.split('-')[1]} years of age`, ['band']).withCode('questionnaire.not-offered');
    }
    const draft = (await responsesOf(ops, deps.fhirBase, catalogue, actor.patientId)).find((r) => r.questionnaire.band === band && r.facts.status === 'in-progress');
    if (draft) throw conflict('questionnaire.draft-exists', `band: a draft of the ${band} questionnaire is in progress (${draft.version.id}): continue it`, ['band']);
    const { answers } = checkAnswers(q, body.answers);
    const resource = responseResource({ questionnaire: q, patientId: actor.patientId, status: 'in-progress', answers, authored: ctx.now().toISOString(), author: { self: actor.relation === 'self', name: actor.name } });
    const { version } = await ops.create(resource);
    return view(loadedOf(catalogue, version)!);
  });
}

/** GET /api/prevention/questionnaire-responses/:id */
export async function getResponse(deps: Deps, ctx: RequestContext, patientId: string, id: string, catalogue = questionnaires()): Promise<QuestionnaireResponseView> {
  return deps.repo.run(ctx, async (ops) => view(await loadResponse(ops, catalogue, patientId, id)), { readOnly: true });
}

/**
 * PUT /api/prevention/questionnaire-responses/:id { answers, versionId }: the draft's answers, replaced as a
 * whole, checked against the version the response was started on. 409 questionnaire.final once final, 409
 * questionnaire.stale when versionId is not the response's current one.
 */
export async function saveResponse(deps: Deps, ctx: RequestContext, actor: Actor, id: string, body: Json, catalogue = questionnaires()): Promise<QuestionnaireResponseView> {
  const versionId = versionIdOf(body.versionId, true)!;
  if (body.answers === undefined) throw badRequest('answers is required: the whole set of answers of the draft', ['answers']).withCode('request.invalid');
  return deps.repo.run(ctx, async (ops) => {
    await lockResponse(ops, id);
    const l = await loadResponse(ops, catalogue, actor.patientId, id);
    if (l.facts.status === 'completed') throw conflict('questionnaire.final', 'This response is final: its answers cannot change');
    checkFresh(l, versionId);
    const { answers } = checkAnswers(l.questionnaire, body.answers);
    const version = await write(ops, rewrite(l, actor, { answers, authored: ctx.now().toISOString() }), versionId);
    return view(loadedOf(catalogue, version)!);
  });
}

/**
 * POST /api/prevention/questionnaire-responses/:id/finalise { versionId? }: the draft becomes final when every
 * required question its answers enable is answered (422 questionnaire.incomplete naming them); 409
 * questionnaire.already-final the second time. The habits it speaks of are pre-filled in the same unit.
 */
export async function finaliseResponse(deps: Deps, ctx: RequestContext, actor: Actor, id: string, body: Json, catalogue = questionnaires()): Promise<QuestionnaireResponseView> {
  const versionId = versionIdOf(body.versionId, false);
  return deps.repo.run(ctx, async (ops) => {
    // two finalisations at once: the second waits, then finds the response final (and habits are pre-filled once)
    await lockResponse(ops, id);
    const l = await loadResponse(ops, catalogue, actor.patientId, id);
    if (l.facts.status === 'completed') throw conflict('questionnaire.already-final', 'This response is already final');
    checkFresh(l, versionId);
    // what was saved, checked again against its version (a response written through /fhir is held to the same rules)
    const { answers } = checkAnswers(l.questionnaire, answersOf(l.questionnaire, l.resource));
    const missing = missingRequired(l.questionnaire, answers);
    if (missing.length) throw new AppError(422, 'business-rule', `${missing.join(', ')}: answer these questions to finalise`, missing).withCode('questionnaire.incomplete');
    const now = ctx.now();
    const version = await write(ops, rewrite(l, actor, { status: 'completed', answers, authored: now.toISOString() }), l.version.versionId);
    await prefillHabits(ops, ctx, actor.patientId, l.version.id, l.questionnaire, answers, parisToday(now));
    return view(loadedOf(catalogue, version)!);
  });
}

async function pdfWith(deps: Deps, ops: FhirOperations, l: Loaded, patientId: string): Promise<Buffer> {
  const { patient, birthDate } = await personOf(ops, patientId);
  const author = (l.resource.author as Json | undefined) ?? {};
  const filledBy = typeof author.reference !== 'string' && typeof author.display === 'string' ? author.display : undefined;
  const final = l.facts.status === 'completed';
  return Buffer.from(
    await questionnairePdf({
      operatorName: deps.operatorName,
      questionnaire: l.questionnaire,
      answers: checkedAnswers(l),
      final,
      at: new Date(final && l.facts.authored ? l.facts.authored : l.version.lastUpdated),
      person: { name: patientName(patient), birthDate },
      filledBy,
      generatedAt: deps.clock.now(),
    }),
  );
}

/** GET /api/prevention/questionnaire-responses/:id/pdf: the response as a PDF (a draft is marked as one). */
export async function responsePdf(deps: Deps, ctx: RequestContext, patientId: string, id: string, catalogue = questionnaires()): Promise<{ pdf: Buffer; fileName: string }> {
  return deps.repo.run(
    ctx,
    async (ops) => {
      const l = await loadResponse(ops, catalogue, patientId, id);
      const at = new Date(l.facts.status === 'completed' && l.facts.authored ? l.facts.authored : l.version.lastUpdated);
      return { pdf: await pdfWith(deps, ops, l, patientId), fileName: questionnaireFileName(l.questionnaire, at) };
    },
    { readOnly: true },
  );
}

/**
 * POST /api/prevention/questionnaire-responses/:id/file: the final response's PDF filed as a document of the
 * profile (LOINC 74465-6 "Questionnaire patient", class 90, through the DMP's upload path), hidden from
 * professionals as the profile's summary is (the person shows it to share it); the response remembers the
 * document (extension filed-document). 409 questionnaire.draft for a draft. Filing again while that document
 * is still there gives it back (`created: false`) rather than a second copy.
 */
export async function fileResponse(deps: Deps, ctx: RequestContext, actor: Actor, id: string, catalogue = questionnaires()): Promise<{ documentId: string; created: boolean }> {
  const prepared = await deps.repo.run(
    ctx,
    async (ops): Promise<{ filed: string } | { l: Loaded; pdf: Buffer }> => {
      const l = await loadResponse(ops, catalogue, actor.patientId, id);
      if (l.facts.status !== 'completed') throw conflict('questionnaire.draft', 'Finalise the response before filing it');
      // a response made final through /fhir is filed only if it meets what finalising asks
      const missing = missingRequired(l.questionnaire, checkedAnswers(l));
      if (missing.length) throw new AppError(422, 'business-rule', `${missing.join(', ')}: answer these questions to file the response`, missing).withCode('questionnaire.incomplete');
      const filed = l.facts.documentId;
      if (filed && ID_PATTERN.test(filed)) {
        // searched in this record only: a response written through /fhir may name another record's document, whose
        // read would be refused (and, the refusal caught here, audited in that record as if it had been read)
        const found = await search(ops, deps.fhirBase, 'DocumentReference', { _id: filed, patient: actor.patientId });
        const doc = found.versions[0];
        if (doc?.content && (JSON.parse(doc.content) as Json).status === 'current') return { filed };
      }
      return { l, pdf: await pdfWith(deps, ops, l, actor.patientId) };
    },
    { readOnly: true },
  );
  if ('filed' in prepared) return { documentId: prepared.filed, created: false };
  const { l, pdf } = prepared;
  const finalisedAt = new Date(l.facts.authored ?? l.version.lastUpdated);
  const title = `${bandTitle(l.questionnaire)} : questionnaire du ${formatDateFr(finalisedAt)}`;
  const doc = await prepareUpload(deps.dmp, ctx, actor.patientId, {
    body: pdf,
    fileName: questionnaireFileName(l.questionnaire, finalisedAt),
    mimeType: 'application/pdf',
    title,
    category: 'AUTR_DOC',
    typeCode: QUESTIONNAIRE_TYPE_CODE,
    date: parisToday(finalisedAt),
    hidden: true,
  });
  return deps.repo.run(ctx, async (ops) => {
    await lockResponse(ops, id);
    const current = await loadResponse(ops, catalogue, actor.patientId, id);
    // filed meanwhile (two filings at once): that document, not a second copy
    if (current.facts.documentId && current.facts.documentId !== l.facts.documentId && current.facts.status === 'completed') return { documentId: current.facts.documentId, created: false };
    checkFresh(current, l.version.versionId);
    await ops.create(doc.resource, { id: doc.id });
    await write(ops, rewrite(current, actor, { documentId: doc.id }), current.version.versionId);
    return { documentId: doc.id, created: true };
  });
}
