import type { ResponseStatus } from '../../../contract/prevention.js';
import { ANSWER_SYSTEM, FILED_DOCUMENT_EXT, type Answers, type Json, type KeyAgeQuestionnaire } from './model.js';

/**
 * The QuestionnaireResponse of a key-age questionnaire (FHIR R4): in the profile's record (`subject`), naming
 * the version it answers (`questionnaire` = `url|version`), `in-progress` while a draft and `completed` once
 * final, its items nested as the Questionnaire's (a group, then its answered questions), and, once filed, the
 * document it was filed as (extension filed-document). Pure.
 */

export type FhirResponseStatus = 'in-progress' | 'completed';

export const STATUS_OF: Record<FhirResponseStatus, ResponseStatus> = { 'in-progress': 'draft', completed: 'final' };

export interface ResponseInput {
  questionnaire: KeyAgeQuestionnaire;
  patientId: string;
  status: FhirResponseStatus;
  answers: Answers;
  /** When it was last written (ISO instant). */
  authored: string;
  /** Who filled it in: the person themself, or someone acting for them (named only). */
  author: { self: boolean; name: string };
  documentId?: string | undefined;
  id?: string | undefined;
}

export function canonicalOf(q: Pick<KeyAgeQuestionnaire, 'url' | 'version'>): string {
  return `${q.url}|${q.version}`;
}

/** `url|version` → its parts; undefined without a version. */
export function parseCanonical(canonical: unknown): { url: string; version: string } | undefined {
  if (typeof canonical !== 'string') return undefined;
  const bar = canonical.lastIndexOf('|');
  if (bar <= 0 || bar === canonical.length - 1) return undefined;
  return { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) };
}

function answerItems(q: KeyAgeQuestionnaire, linkId: string, value: Answers[string]): Json[] {
  const d = q.questions.get(linkId)!;
  if (d.kind === 'text') return [{ valueString: Array.isArray(value) ? value.join(', ') : value }];
  const codes = Array.isArray(value) ? value : [value];
  return codes.map((code) => ({ valueCoding: { system: ANSWER_SYSTEM, code, display: d.options.find((o) => o.code === code)?.label ?? code } }));
}

export function responseResource(input: ResponseInput): Json {
  const q = input.questionnaire;
  const who = input.author.self ? { reference: `Patient/${input.patientId}`, display: input.author.name } : { display: input.author.name };
  const item = q.groups
    .map((g) => ({
      linkId: g.linkId,
      text: g.title,
      item: g.questions.filter((d) => input.answers[d.linkId] !== undefined).map((d) => ({ linkId: d.linkId, text: d.text, answer: answerItems(q, d.linkId, input.answers[d.linkId]!) })),
    }))
    .filter((g) => g.item.length > 0);
  return {
    resourceType: 'QuestionnaireResponse',
    ...(input.id ? { id: input.id } : {}),
    ...(input.documentId ? { extension: [{ url: FILED_DOCUMENT_EXT, valueReference: { reference: `DocumentReference/${input.documentId}` } }] } : {}),
    questionnaire: canonicalOf(q),
    status: input.status,
    subject: { reference: `Patient/${input.patientId}` },
    authored: input.authored,
    author: who,
    source: who,
    ...(item.length ? { item } : {}),
  };
}

/** What a stored response says of itself, before its questionnaire is known. */
export interface ResponseFacts {
  url: string;
  version: string;
  status: string;
  authored?: string;
  documentId?: string;
  patientId?: string;
}

export function responseFacts(r: Json): ResponseFacts | undefined {
  const canonical = parseCanonical(r.questionnaire);
  if (!canonical || typeof r.status !== 'string') return undefined;
  const ext = ((Array.isArray(r.extension) ? r.extension : []) as Json[]).find((e) => e.url === FILED_DOCUMENT_EXT);
  const ref = (ext?.valueReference as Json | undefined)?.reference;
  const subject = (r.subject as Json | undefined)?.reference;
  return {
    ...canonical,
    status: r.status,
    ...(typeof r.authored === 'string' ? { authored: r.authored } : {}),
    ...(typeof ref === 'string' && ref.startsWith('DocumentReference/') ? { documentId: ref.slice('DocumentReference/'.length) } : {}),
    ...(typeof subject === 'string' && subject.startsWith('Patient/') ? { patientId: subject.slice('Patient/'.length) } : {}),
  };
}

/** The answers a response holds for the questions of its version (items at any depth; others ignored). */
export function answersOf(q: KeyAgeQuestionnaire, r: Json): Answers {
  const out: Answers = {};
  const walk = (items: unknown) => {
    for (const it of (Array.isArray(items) ? items : []) as Json[]) {
      const d = typeof it.linkId === 'string' ? q.questions.get(it.linkId) : undefined;
      const answers = (Array.isArray(it.answer) ? it.answer : []) as Json[];
      if (d && answers.length) {
        if (d.kind === 'text') {
          const text = answers.map((a) => a.valueString).find((v) => typeof v === 'string');
          if (text !== undefined) out[d.linkId] = text as string;
        } else {
          const codes = answers.map((a) => (a.valueCoding as Json | undefined)?.code).filter((c): c is string => typeof c === 'string');
          if (codes.length) out[d.linkId] = d.kind === 'checkbox' ? codes : codes[0]!;
        }
      }
      walk(it.item);
      for (const a of answers) walk(a.item);
    }
  };
  walk(r.item);
  return out;
}
