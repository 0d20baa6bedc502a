import { patientName } from '../../domain/profile/patient-name.js';
import { badRequest } from '../../errors.js';
import type { FhirOperations, Repository, RequestContext } from '../../repo/index.js';
import type { Clock } from '../clock.js';
import { uploadDocument } from '../dmp/uploads.js';
import type { DmpDeps } from '../dmp/deps.js';
import { formatDateFr } from '../documents/format.js';
import { MEDICAL_SUMMARY_TITLE, medicalSummaryPdf } from '../documents/medical-summary.js';
import { readSummarySections } from './read-profile.js';
import { SUMMARY_SECTIONS, type SummarySection } from './types.js';

/**
 * The summary PDF of the medical profile (domain.md §4.1 "Synthèse PDF"): the sections the patient chose,
 * read from the record with the caller's context (the access policy decides, the reads are audited), laid out
 * by src/services/documents/medical-summary.ts. Downloaded, filed into the documents (DOCPAT08 "Profil médical
 * Mon espace santé", category SYNTH_PML in Mon espace santé, SYNTHESE in Carnet) or attached to a message.
 */

type Json = Record<string, unknown>;

export interface SummaryDeps {
  repo: Repository;
  fhirBase: string;
  operatorName: string;
  clock: Clock;
}

/** The type code of the summary in the documents (TRE_A05 "Profil médical Mon espace santé"). */
export const SUMMARY_TYPE_CODE = 'DOCPAT08';

/** The sections of a request: a non-empty list of known sections (400 summary.sections naming `sections`). */
export function parseSummarySections(value: unknown, field = 'sections'): SummarySection[] {
  const known = SUMMARY_SECTIONS as readonly string[];
  if (!Array.isArray(value) || value.length === 0 || value.length > 50 || value.some((s) => typeof s !== 'string' || !known.includes(s))) {
    throw badRequest(`${field} is a non-empty list of ${SUMMARY_SECTIONS.join(', ')}`, [field]).withCode('summary.sections');
  }
  return SUMMARY_SECTIONS.filter((s) => (value as string[]).includes(s));
}

/** The summary PDF of a record, within the caller's unit of work. */
export async function summaryPdfWith(deps: SummaryDeps, ops: FhirOperations, patientId: string, sections: readonly SummarySection[] = SUMMARY_SECTIONS): Promise<Buffer> {
  const content = await readSummarySections(ops, deps.fhirBase, patientId, sections);
  const patient = JSON.parse((await ops.read('Patient', patientId)).content!) as Json;
  return Buffer.from(
    await medicalSummaryPdf({
      operatorName: deps.operatorName,
      patient: { name: patientName(patient), birthDate: typeof patient.birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate) ? patient.birthDate : undefined },
      generatedAt: deps.clock.now(),
      sections: content.map((s) => ({ title: s.title, items: s.items, unconcernedSince: s.unconcernedSince })),
    }),
  );
}

/** The summary PDF of a record, read with the caller's context. */
export async function summaryPdf(deps: SummaryDeps, ctx: RequestContext, patientId: string, sections: readonly SummarySection[] = SUMMARY_SECTIONS): Promise<Buffer> {
  return deps.repo.run(ctx, (ops) => summaryPdfWith(deps, ops, patientId, sections), { readOnly: true });
}

/** "Synthèse du profil médical du 14 mars 2024.pdf". */
export function summaryFileName(at: Date): string {
  return `${MEDICAL_SUMMARY_TITLE} du ${formatDateFr(at)}.pdf`;
}

/** Files the summary into the patient's documents (DOCPAT08) through the DMP's upload path. */
export async function fileSummary(deps: SummaryDeps & { dmp: DmpDeps }, ctx: RequestContext, patientId: string, sections: readonly SummarySection[]): Promise<{ documentId: string }> {
  const pdf = await summaryPdf(deps, ctx, patientId, sections);
  const at = deps.clock.now();
  const view = await uploadDocument(deps.dmp, ctx, patientId, {
    body: pdf,
    fileName: summaryFileName(at),
    mimeType: 'application/pdf',
    title: `${MEDICAL_SUMMARY_TITLE} du ${formatDateFr(at)}`,
    category: 'SYNTHESE',
    typeCode: SUMMARY_TYPE_CODE,
    // it holds sections professionals never see (diseases, treatments...): filed hidden from them, the
    // patient shows it in their documents if they mean to share it (docs/profile-documents.md)
    hidden: true,
  });
  return { documentId: view.id };
}
