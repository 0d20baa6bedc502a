import type { DiseaseInput } from '../../../contract/profile.js';
import { TERMINOLOGY } from '../systems.js';
import { Checker, compact, conceptText, formatPartialDate, idsOf, noteText, parsePartialDate, ref, sectionCoding, sectionMeta, type Json } from './common.js';

/** Maladies et sujets de santé: a Condition of category `diseases`; documents as evidence.detail. */
export function parseDisease(body: Json, now: Date): DiseaseInput {
  const c = new Checker(body, now);
  const input: DiseaseInput = compact({
    name: c.text('name', 200),
    comment: c.optText('comment', 2000),
    start: c.partialDate('start', true)!,
    end: c.partialDate('end', false),
    documentIds: c.ids('documentIds'),
  });
  c.order('start', input.start, 'end', input.end);
  c.done();
  if (input.documentIds?.length === 0) delete input.documentIds;
  return input;
}

export function diseaseToFhir(input: DiseaseInput, patientId: string, extension: Json[]): Json {
  return compact({
    resourceType: 'Condition',
    meta: sectionMeta('diseases'),
    extension,
    clinicalStatus: { coding: [{ system: TERMINOLOGY.conditionClinical, code: input.end ? 'resolved' : 'active' }] },
    category: [{ coding: [sectionCoding('diseases')] }],
    code: { text: input.name },
    subject: ref('Patient', patientId),
    onsetDateTime: formatPartialDate(input.start),
    abatementDateTime: input.end ? formatPartialDate(input.end) : undefined,
    note: input.comment ? [{ text: input.comment }] : undefined,
    evidence: input.documentIds?.length ? [{ detail: input.documentIds.map((id) => ref('DocumentReference', id)) }] : undefined,
  });
}

export function diseaseFromFhir(r: Json): DiseaseInput {
  const documentIds = ((r.evidence ?? []) as Json[]).flatMap((e) => idsOf(e.detail, 'DocumentReference'));
  return compact({
    name: conceptText(r.code) ?? '',
    comment: noteText(r),
    start: parsePartialDate(r.onsetDateTime) ?? { year: 1900 },
    end: parsePartialDate(r.abatementDateTime),
    documentIds: documentIds.length ? documentIds : undefined,
  });
}
