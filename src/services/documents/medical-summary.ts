import { formatDateFr } from './format.js';
import { COLORS, DocumentBuilder, flowRows, layoutBlocks, type Block } from './layout.js';

/**
 * The medical profile's summary ("synthèse du profil médical", domain.md §4.1) as a PDF: one section per kind
 * of entry the record holds, in the order the patient's profile shows them. The entries are what the patient
 * (or their professionals) recorded; what the patient did not fill in is said, not left out.
 */
export interface SummaryInput {
  operatorName: string;
  patient: { name: string; birthDate?: string | undefined };
  generatedAt: Date;
  sections: { title: string; items: string[] }[];
}

export const MEDICAL_SUMMARY_TITLE = 'Synthèse du profil médical';

export async function medicalSummaryPdf(input: SummaryInput): Promise<Uint8Array> {
  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: MEDICAL_SUMMARY_TITLE,
    subject: `${MEDICAL_SUMMARY_TITLE} : ${input.patient.name}`,
    generatedAt: input.generatedAt,
  });
  const blocks: Block[] = [
    { kind: 'text', text: MEDICAL_SUMMARY_TITLE, font: 'bold', size: 17, color: COLORS.accent, keepWithNext: true },
    {
      kind: 'fields',
      gapBefore: 12,
      rows: [
        ['Patient', input.patient.name],
        ...(input.patient.birthDate ? [['Date de naissance', formatDateFr(input.patient.birthDate)] as [string, string]] : []),
        ['Établie le', formatDateFr(input.generatedAt)],
      ],
    },
  ];
  for (const s of input.sections) {
    blocks.push({ kind: 'text', text: s.title, font: 'bold', size: 12, gapBefore: 14, keepWithNext: true });
    blocks.push(s.items.length ? { kind: 'bullets', gapBefore: 4, items: s.items } : { kind: 'text', text: 'Non renseigné', font: 'italic', gapBefore: 4 });
  }
  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
