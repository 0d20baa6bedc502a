import { answerText, enabledQuestions, type Answers, type KeyAgeQuestionnaire } from '../../../domain/prevention/questionnaire/index.js';
import { formatDateFr, formatDateTimeFr } from '../../documents/format.js';
import { COLORS, DocumentBuilder, flowRows, layoutBlocks, type Block } from '../../documents/layout.js';
import { frenchText } from '../../profile-documents/french.js';

/**
 * A key-age questionnaire response as a PDF (docs/prevention.md "Key-age questionnaires"): the questionnaire's
 * title, band and version, the person, the dates, then each group with every question asked (enabled by the
 * answers) and its answer, or "Sans réponse". Downloaded, or filed into the documents (LOINC 74465-6
 * "Questionnaire patient"), laid out with the documents' kit (src/services/documents/layout.ts).
 */
export interface QuestionnairePdfInput {
  operatorName: string;
  questionnaire: KeyAgeQuestionnaire;
  answers: Answers;
  final: boolean;
  /** When it was finalised (final), or last saved (draft). */
  at: Date;
  person: { name: string; birthDate?: string | undefined };
  /** Who filled it in, when not the person themself. */
  filledBy?: string | undefined;
  generatedAt: Date;
}

export const QUESTIONNAIRE_PDF_NOTICE =
  'Réponses données pour préparer le rendez-vous « Mon bilan prévention » avec un professionnel de santé. Ce document ne remplace pas un avis médical.';

/** "Mon bilan prévention 18-25 ans" */
export function bandTitle(q: KeyAgeQuestionnaire): string {
  return `Mon bilan prévention ${q.band} ans`;
}

/** "Mon bilan prévention 18-25 ans du 23 novembre 2026.pdf" */
export function questionnaireFileName(q: KeyAgeQuestionnaire, at: Date): string {
  return `${bandTitle(q)} du ${formatDateFr(at)}.pdf`;
}

/** A name printed on the PDF holds at most this many characters (a Patient or an author written through /fhir may say anything). */
export const NAME_MAX = 200;

const bounded = (name: string): string => (name.length <= NAME_MAX ? name : `${name.slice(0, NAME_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…`);

export async function questionnairePdf(pdfInput: QuestionnairePdfInput): Promise<Uint8Array> {
  const input = {
    ...pdfInput,
    person: { ...pdfInput.person, name: bounded(pdfInput.person.name) },
    filledBy: pdfInput.filledBy === undefined ? undefined : bounded(pdfInput.filledBy),
  };
  const q = input.questionnaire;
  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: q.title,
    subject: frenchText(`${q.title} : ${input.person.name}`),
    generatedAt: input.generatedAt,
  });
  const blocks: Block[] = [
    { kind: 'text', text: frenchText(q.title), font: 'bold', size: 16, color: COLORS.accent, keepWithNext: true },
    {
      kind: 'fields',
      gapBefore: 12,
      rows: [
        ['Personne', input.person.name],
        ...(input.person.birthDate ? [['Date de naissance', formatDateFr(input.person.birthDate)] as [string, string]] : []),
        ['Tranche d’âge', `${q.ageBand.min} à ${q.ageBand.max} ans`],
        ['Version du questionnaire', q.version],
        ['Statut', input.final ? `Finalisé le ${formatDateFr(input.at)}` : `Brouillon enregistré le ${formatDateTimeFr(input.at)}`],
        ...(input.filledBy ? [['Rempli par', input.filledBy] as [string, string]] : []),
      ],
    },
    { kind: 'text', text: frenchText(QUESTIONNAIRE_PDF_NOTICE), font: 'italic', size: 9, color: COLORS.muted, gapBefore: 8 },
  ];
  const enabled = enabledQuestions(q, input.answers);
  for (const g of q.groups) {
    const asked = g.questions.filter((d) => enabled.has(d.linkId));
    if (asked.length === 0) continue;
    blocks.push({ kind: 'text', text: frenchText(g.title), font: 'bold', size: 12, color: COLORS.accent, gapBefore: 14, keepWithNext: true });
    for (const d of asked) {
      const value = input.answers[d.linkId];
      blocks.push({ kind: 'text', text: frenchText(d.text), font: 'bold', size: 10, gapBefore: 6, keepWithNext: true });
      blocks.push(
        value === undefined
          ? { kind: 'text', text: 'Sans réponse', font: 'italic', color: COLORS.muted, indent: 12 }
          : { kind: 'text', text: frenchText(answerText(d, value)), indent: 12 },
      );
    }
  }
  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
