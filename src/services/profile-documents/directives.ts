import type { Readable } from 'node:stream';
import { ADVANCE_DIRECTIVE_TYPE_CODE, WISHES_CONSENT_CATEGORIES } from '../../domain/access/profile.js';
import { ageOn, MAJORITY_AGE } from '../../domain/ins/age.js';
import { CARNET_EXT, LOINC, PROFILE_CATEGORY_SYSTEM, TERMINOLOGY } from '../../domain/profile/systems.js';
import { AppError, badRequest } from '../../errors.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, RequestContext } from '../../repo/index.js';
import { prepareUpload } from '../dmp/uploads.js';
import { ADVANCE_DIRECTIVES_TITLE, advanceDirectivesPdf } from '../documents/advance-directives-pdf.js';
import { formatDateFr } from '../documents/format.js';
import type { ProfileDeps } from '../profile/deps.js';
import { DIRECTIVE_MODELS, type AdvanceDirective, type AdvanceDirectivesView, type DirectiveAnswers, type DirectiveModel } from './types.js';

/**
 * The advance directives (domain.md §4.1 "Directives anticipées", CSP L1111-11): written with one of the two
 * online forms (in good health, end of life), which becomes a PDF, or uploaded as a PDF. Each version is a
 * document of the record (DocumentReference, type EXPPAT_3 "Directives anticipées") and a Consent (category
 * advance-directive, scope adr, sourceReference → the document); a new version supersedes the current one in
 * the same unit of work: the previous Consent becomes inactive, the previous document superseded and replaced
 * (relatesTo replaces). Not available to minors (422 directives.minor, field birthDate).
 */

type Json = Record<string, unknown>;

/** The profile category of the directives' Consents (one of the "entourage et volontés" wishes). */
const DIRECTIVES_CATEGORY: (typeof WISHES_CONSENT_CATEGORIES)[number] = 'advance-directive';
/** LOINC "Advance directive" (75320-2), beside the profile's category. */
const LOINC_ADVANCE_DIRECTIVE = '75320-2';
/** The form's model and answers on the Consent (a complex extension, one part per answer). */
export const DIRECTIVE_FORM_EXT = `${CARNET_EXT}/advance-directive-form`;
/** Article L1111-11 of the code de la santé publique, on Légifrance. */
const POLICY_URI = 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031972276';

const ANSWER_KEYS = ['context', 'lifeSupport', 'sedation', 'treatmentsStarted', 'treatmentsStopped', 'treatmentsSpecific', 'otherWishes', 'place'] as const;
const REQUIRED: readonly (keyof DirectiveAnswers)[] = ['context', 'lifeSupport', 'sedation', 'place'];
const MAX_ANSWER = 5000;
const MAX_PLACE = 200;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The form's body { model, answers }: 400 directives.invalid naming the field at fault. */
export function parseDirectiveForm(body: Json): { model: DirectiveModel; answers: DirectiveAnswers } {
  const model = body.model;
  if (typeof model !== 'string' || !(DIRECTIVE_MODELS as readonly string[]).includes(model)) {
    throw badRequest(`model is one of ${DIRECTIVE_MODELS.join(', ')}`, ['model']).withCode('directives.invalid');
  }
  const raw = body.answers;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('answers is an object of texts', ['answers']).withCode('directives.invalid');
  const a = raw as Json;
  const out: Partial<Record<(typeof ANSWER_KEYS)[number], string>> = {};
  for (const key of ANSWER_KEYS) {
    const field = `answers.${key}`;
    const v = a[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (REQUIRED.includes(key)) throw badRequest(`${field} is required`, [field]).withCode('directives.invalid');
      continue;
    }
    if (typeof v !== 'string') throw badRequest(`${field} is a text`, [field]).withCode('directives.invalid');
    const max = key === 'place' ? MAX_PLACE : MAX_ANSWER;
    if (v.length > max) throw badRequest(`${field} is at most ${max} characters`, [field]).withCode('directives.invalid');
    if (CONTROL.test(v) || (key === 'place' && /[\r\n]/.test(v))) throw badRequest(`${field} holds control characters`, [field]).withCode('directives.invalid');
    out[key] = v.trim();
  }
  return { model: model as DirectiveModel, answers: out as DirectiveAnswers };
}

// --- reading -------------------------------------------------------------------------------------------------

function formOf(consent: Json): { model: DirectiveModel; answers: DirectiveAnswers } | undefined {
  const ext = (Array.isArray(consent.extension) ? (consent.extension as Json[]) : []).find((e) => e.url === DIRECTIVE_FORM_EXT);
  if (!ext) return undefined;
  const parts = Array.isArray(ext.extension) ? (ext.extension as Json[]) : [];
  const value = (url: string) => {
    const p = parts.find((x) => x.url === url);
    return typeof p?.valueString === 'string' ? p.valueString : typeof p?.valueCode === 'string' ? p.valueCode : undefined;
  };
  const model = value('model');
  if (!model || !(DIRECTIVE_MODELS as readonly string[]).includes(model)) return undefined;
  const answers: Partial<Record<(typeof ANSWER_KEYS)[number], string>> = {};
  for (const key of ANSWER_KEYS) {
    const v = value(key);
    if (v !== undefined) answers[key] = v;
  }
  return { model: model as DirectiveModel, answers: { context: '', lifeSupport: '', sedation: '', place: '', ...answers } };
}

function documentIdOf(consent: Json): string | undefined {
  const ref = (consent.sourceReference as Json | undefined)?.reference;
  return typeof ref === 'string' ? /^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/.exec(ref)?.[1] : undefined;
}

function isDirective(consent: Json): boolean {
  const cats = Array.isArray(consent.category) ? (consent.category as Json[]) : [];
  return cats.some((c) => (Array.isArray(c.coding) ? (c.coding as Json[]) : []).some((x) => x.system === PROFILE_CATEGORY_SYSTEM && x.code === DIRECTIVES_CATEGORY));
}

export function directiveView(consent: Json): AdvanceDirective | undefined {
  const documentId = documentIdOf(consent);
  if (!documentId || typeof consent.id !== 'string') return undefined;
  const form = formOf(consent);
  return {
    id: consent.id,
    kind: form ? 'form' : 'file',
    ...(form ? { model: form.model, answers: form.answers } : {}),
    documentId,
    date: typeof consent.dateTime === 'string' ? consent.dateTime : '',
    status: consent.status === 'active' ? 'current' : 'superseded',
  };
}

/** The directive Consents of a record (active and inactive), newest first. */
async function directiveConsents(ops: FhirOperations, fhirBase: string, patientId: string): Promise<Json[]> {
  const params = new URLSearchParams({ patient: patientId, category: `${PROFILE_CATEGORY_SYSTEM}|${DIRECTIVES_CATEGORY}`, _count: '200' });
  const found = await ops.search('Consent', parseSearch('Consent', params, { defaultCount: 200, maxCount: 200, strict: true, fhirBase }));
  return found.versions
    .map((v) => JSON.parse(v.content!) as Json)
    .filter((c) => isDirective(c) && (c.status === 'active' || c.status === 'inactive'))
    .sort((a, b) => String(b.dateTime ?? '').localeCompare(String(a.dateTime ?? '')));
}

/** The current version of the record's advance directives, within the caller's unit of work. */
export async function currentDirective(ops: FhirOperations, fhirBase: string, patientId: string): Promise<AdvanceDirective | null> {
  const active = (await directiveConsents(ops, fhirBase, patientId)).filter((c) => c.status === 'active');
  return active.map(directiveView).find((v): v is AdvanceDirective => !!v) ?? null;
}

/** Whether the record is a minor's on `now` (from Patient.birthDate; a record without one is not refused). */
export function isMinor(patient: Json, now: Date): boolean {
  const birthDate = patient.birthDate;
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return false;
  try {
    return ageOn(birthDate, now) < MAJORITY_AGE;
  } catch {
    return false;
  }
}

const minorRefusal = () =>
  new AppError(422, 'business-rule', 'birthDate: advance directives are not available to minors (this profile is a minor’s)', ['birthDate']).withCode('directives.minor');

/** GET /api/profile/advance-directives. */
export async function getAdvanceDirectives(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<AdvanceDirectivesView> {
  return deps.repo.run(
    ctx,
    async (ops) => {
      const patient = JSON.parse((await ops.read('Patient', patientId)).content!) as Json;
      const views = (await directiveConsents(ops, deps.fhirBase, patientId)).map(directiveView).filter((v): v is AdvanceDirective => !!v);
      const minor = isMinor(patient, ctx.now());
      return {
        allowed: !minor,
        ...(minor ? { reason: 'minor' as const } : {}),
        current: views.find((v) => v.status === 'current') ?? null,
        previous: views.filter((v) => v.status === 'superseded'),
      };
    },
    { readOnly: true },
  );
}

// --- writing -------------------------------------------------------------------------------------------------

function patientName(patient: Json): string {
  const names = Array.isArray(patient.name) ? (patient.name as Json[]) : [];
  const name = names.find((n) => n.use === 'official') ?? names[0] ?? {};
  if (typeof name.text === 'string' && name.text.trim()) return name.text.trim();
  const given = Array.isArray(name.given) ? (name.given as string[]).join(' ') : '';
  const family = typeof name.family === 'string' ? name.family.toLocaleUpperCase('fr-FR') : '';
  return `${given} ${family}`.trim() || 'Patient';
}

async function adultPatient(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<Json> {
  const patient = await deps.repo.run(ctx, async (ops) => JSON.parse((await ops.read('Patient', patientId)).content!) as Json, { readOnly: true });
  if (isMinor(patient, ctx.now())) throw minorRefusal();
  return patient;
}

/** The Consent of a version of the directives (its PDF is the document `documentId`). */
export function consentResource(patientId: string, documentId: string, at: string, by: string, form?: { model: DirectiveModel; answers: DirectiveAnswers }): Json {
  return {
    resourceType: 'Consent',
    ...(form
      ? {
          extension: [
            {
              url: DIRECTIVE_FORM_EXT,
              extension: [
                { url: 'model', valueCode: form.model },
                ...ANSWER_KEYS.filter((k) => form.answers[k] !== undefined).map((k) => ({ url: k, valueString: form.answers[k]! })),
              ],
            },
          ],
        }
      : {}),
    status: 'active',
    scope: { coding: [{ system: TERMINOLOGY.consentScope, code: 'adr', display: 'Advanced Care Directive' }] },
    category: [
      { coding: [{ system: PROFILE_CATEGORY_SYSTEM, code: DIRECTIVES_CATEGORY, display: 'Directives anticipées' }] },
      { coding: [{ system: LOINC, code: LOINC_ADVANCE_DIRECTIVE, display: 'Advance directive' }] },
    ],
    patient: { reference: `Patient/${patientId}` },
    dateTime: at,
    performer: [{ reference: `Patient/${patientId}`, display: by }],
    policy: [{ uri: POLICY_URI }],
    sourceReference: { reference: `DocumentReference/${documentId}` },
  };
}

/**
 * Files a new version: the DocumentReference and the Consent created, the current version (if any) made
 * inactive and its document superseded and replaced, all in one unit of work under a lock on the record's
 * directives (two concurrent versions are serialised: the second supersedes the first).
 */
async function fileVersion(deps: ProfileDeps, ctx: RequestContext, patientId: string, doc: { id: string; resource: Json }, form?: { model: DirectiveModel; answers: DirectiveAnswers }): Promise<AdvanceDirective> {
  const at = ctx.now().toISOString();
  return deps.repo.run(ctx, async (ops) => {
    await ops.withTables((q) => q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`advance-directives/${patientId}`]));
    const previous = (await directiveConsents(ops, deps.fhirBase, patientId)).filter((c) => c.status === 'active');
    const replaced: string[] = [];
    for (const consent of previous) {
      await ops.update({ ...consent, status: 'inactive' });
      const docId = documentIdOf(consent);
      if (!docId) continue;
      let old: Json;
      try {
        old = JSON.parse((await ops.read('DocumentReference', docId)).content!) as Json;
      } catch (err) {
        // the patient may have deleted the previous document: the Consent still becomes inactive
        if (err instanceof AppError && (err.status === 404 || err.status === 410)) continue;
        throw err;
      }
      if (old.status === 'current') {
        await ops.update({ ...old, status: 'superseded' });
        replaced.push(docId);
      }
    }
    const resource = replaced.length ? { ...doc.resource, relatesTo: replaced.map((id) => ({ code: 'replaces', target: { reference: `DocumentReference/${id}` } })) } : doc.resource;
    await ops.create(resource, { id: doc.id });
    const written = await ops.create(consentResource(patientId, doc.id, at, ctx.principal.displayName, form));
    return directiveView(JSON.parse(written.version.content!) as Json)!;
  });
}

/** POST /api/profile/advance-directives/form: the form becomes a PDF, filed as the new version. */
export async function saveDirectivesForm(deps: ProfileDeps, ctx: RequestContext, patientId: string, body: Json): Promise<AdvanceDirective> {
  const patient = await adultPatient(deps, ctx, patientId);
  const form = parseDirectiveForm(body);
  const now = ctx.now();
  const pdf = await advanceDirectivesPdf({
    operatorName: deps.operatorName,
    patient: { name: patientName(patient), birthDate: typeof patient.birthDate === 'string' ? patient.birthDate : undefined },
    model: form.model,
    answers: form.answers,
    signedAt: now,
    generatedAt: now,
  });
  const title = `${ADVANCE_DIRECTIVES_TITLE} du ${formatDateFr(now)}`;
  const doc = await prepareUpload(deps.dmp, ctx, patientId, { body: Buffer.from(pdf), fileName: `${title}.pdf`, mimeType: 'application/pdf', title, category: 'AUTR_DOC', typeCode: ADVANCE_DIRECTIVE_TYPE_CODE });
  return fileVersion(deps, ctx, patientId, doc, form);
}

/** POST /api/profile/advance-directives/file?title=: an uploaded PDF, filed as the new version. */
export async function saveDirectivesFile(deps: ProfileDeps, ctx: RequestContext, patientId: string, input: { body: Readable | Buffer; title?: string | undefined; mimeType?: string | undefined }): Promise<AdvanceDirective> {
  await adultPatient(deps, ctx, patientId);
  const title = input.title?.trim() || `Directives anticipées du ${formatDateFr(ctx.now())}`;
  if (title.length > 200 || CONTROL.test(title)) throw badRequest('title is 1 to 200 characters', ['title']).withCode('upload.title');
  const mime = (input.mimeType ?? 'application/pdf').split(';')[0]!.trim().toLowerCase();
  if (mime !== 'application/pdf') throw badRequest('Advance directives are uploaded as a PDF file', ['file']).withCode('upload.format');
  const doc = await prepareUpload(deps.dmp, ctx, patientId, { body: input.body, fileName: `${title}.pdf`, mimeType: 'application/pdf', title, category: 'AUTR_DOC', typeCode: ADVANCE_DIRECTIVE_TYPE_CODE });
  return fileVersion(deps, ctx, patientId, doc);
}
