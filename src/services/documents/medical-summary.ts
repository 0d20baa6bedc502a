import { frenchText, NBSP } from '../profile-documents/french.js';
import { formatDateFr } from './format.js';
import { COLORS, DocumentBuilder, flowRows, layoutBlocks, type Block } from './layout.js';

/**
 * The medical profile's summary ("synthèse du profil médical", domain.md §4.1) as a PDF: the sections the
 * patient chose, in the order of their profile, each with its entries. What the patient declared not to
 * concern them is said with the date of the declaration ("Non concerné (déclaré le 14 mars 2024)"), what they
 * did not fill in is said too ("Non renseigné"), never left out. French typography throughout (no-break spaces
 * before ; : ! ? and inside « », decimal commas, dates in words).
 */
export interface SummaryInput {
  operatorName: string;
  patient: { name: string; birthDate?: string | undefined };
  generatedAt: Date;
  sections: SummaryPdfSection[];
}

export interface SummaryPdfSection {
  title: string;
  items: string[];
  /** The section was declared "non concerné" on that date (ISO date or instant) and holds nothing. */
  unconcernedSince?: string | undefined;
}

export const MEDICAL_SUMMARY_TITLE = 'Synthèse du profil médical';

export const SUMMARY_NOTICE =
  'Informations saisies dans le profil médical par le patient, les personnes qui l’accompagnent ou ses professionnels de santé. Ce document ne remplace pas un avis médical.';

/** "Non concerné (déclaré le 14 mars 2024)". */
export function unconcernedLine(since: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(since.slice(0, 10)) ? (since.length > 10 ? formatDateFr(new Date(since)) : formatDateFr(since)) : since;
  return `Non concerné (déclaré le ${day.replace(/ /g, NBSP)})`;
}

export async function medicalSummaryPdf(input: SummaryInput): Promise<Uint8Array> {
  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: MEDICAL_SUMMARY_TITLE,
    subject: frenchText(`${MEDICAL_SUMMARY_TITLE} : ${input.patient.name}`),
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
    { kind: 'text', text: frenchText(SUMMARY_NOTICE), font: 'italic', size: 9, color: COLORS.muted, gapBefore: 8 },
  ];
  for (const s of input.sections) {
    blocks.push({ kind: 'text', text: frenchText(s.title), font: 'bold', size: 12, color: COLORS.accent, gapBefore: 14, keepWithNext: true });
    if (s.items.length) blocks.push({ kind: 'bullets', gapBefore: 4, items: s.items.map(frenchText) });
    else blocks.push({ kind: 'text', text: s.unconcernedSince ? unconcernedLine(s.unconcernedSince) : 'Non renseigné', font: 'italic', gapBefore: 4 });
  }
  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
