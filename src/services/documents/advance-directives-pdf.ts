import { frenchText } from '../profile-documents/french.js';
import type { DirectiveAnswers, DirectiveModel } from '../profile-documents/types.js';
import { formatDateFr } from './format.js';
import { COLORS, DocumentBuilder, flowRows, layoutBlocks, type Block } from './layout.js';

/**
 * The advance directives written with the online form (domain.md §4.1 "Directives anticipées"), as the
 * French legal model lays them out (CSP L1111-11 and R1111-17 to R1111-20, model of the arrêté of 3 August
 * 2016): who writes them, the model (in good health, or with a serious illness / near the end of life), the
 * answers under the model's headings, "Fait à … le …", and the reminder that they can be revised or revoked
 * at any time. Pure: data in, PDF bytes out.
 */
export interface AdvanceDirectivesInput {
  operatorName: string;
  patient: { name: string; birthDate?: string | undefined; birthPlace?: string | undefined };
  model: DirectiveModel;
  answers: DirectiveAnswers;
  /** When the patient validated the form: "le …" of "Fait à … le …". */
  signedAt: Date;
  generatedAt: Date;
}

export const ADVANCE_DIRECTIVES_TITLE = 'Mes directives anticipées';

export const MODEL_TITLES: Record<DirectiveModel, string> = {
  'good-health': 'Modèle B — Je pense être en bonne santé, je ne suis pas atteint(e) d’une maladie grave',
  'end-of-life': 'Modèle A — Je suis atteint(e) d’une maladie grave, ou je pense être proche de la fin de ma vie',
};

/** The headings of the form, per model, in the order of the legal model. */
export const DIRECTIVE_HEADINGS: Record<DirectiveModel, { key: keyof DirectiveAnswers; title: string }[]> = {
  'end-of-life': [
    { key: 'context', title: 'Ma situation : ma maladie, ce qui compte pour moi' },
    { key: 'lifeSupport', title: 'Maintien artificiel de la vie (réanimation, respiration artificielle, dialyse, alimentation et hydratation artificielles) : mes volontés' },
    { key: 'sedation', title: 'Sédation profonde et continue jusqu’au décès associée à un traitement de la douleur : mes volontés' },
    { key: 'treatmentsStarted', title: 'Actes et traitements que je souhaite voir engagés' },
    { key: 'treatmentsStopped', title: 'Actes et traitements que je souhaite voir arrêtés ou non engagés' },
    { key: 'treatmentsSpecific', title: 'Actes et traitements particuliers (chirurgie, transfusion, antibiotiques...)' },
    { key: 'otherWishes', title: 'Le lieu où je souhaite finir ma vie, et mes autres souhaits' },
  ],
  'good-health': [
    { key: 'context', title: 'Mon contexte : ma façon de voir la vie, ce qui compte pour moi' },
    { key: 'lifeSupport', title: 'Si je ne peux plus exprimer ma volonté après un accident ou une maladie grave : maintien artificiel de la vie (réanimation, respiration artificielle, dialyse, alimentation et hydratation artificielles)' },
    { key: 'sedation', title: 'Sédation profonde et continue jusqu’au décès associée à un traitement de la douleur : mes volontés' },
    { key: 'treatmentsStarted', title: 'Actes et traitements que je souhaite voir engagés' },
    { key: 'treatmentsStopped', title: 'Actes et traitements que je souhaite voir arrêtés ou non engagés' },
    { key: 'treatmentsSpecific', title: 'Actes et traitements particuliers' },
    { key: 'otherWishes', title: 'Le lieu où je souhaite finir ma vie, et mes autres souhaits' },
  ],
};

export const REVOCATION_NOTICE =
  'Ces directives anticipées sont valables sans limite de durée. Je peux à tout moment les réviser ou les révoquer, en totalité ou en partie, par tout moyen (article L1111-11 du code de la santé publique). Elles s’imposent au médecin, sauf en cas d’urgence vitale pendant le temps nécessaire à une évaluation complète de la situation, ou lorsqu’elles apparaissent manifestement inappropriées ou non conformes à la situation médicale.';

export async function advanceDirectivesPdf(input: AdvanceDirectivesInput): Promise<Uint8Array> {
  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: ADVANCE_DIRECTIVES_TITLE,
    subject: frenchText(`${ADVANCE_DIRECTIVES_TITLE} : ${input.patient.name}`),
    generatedAt: input.generatedAt,
  });
  const a = input.answers;
  const blocks: Block[] = [
    { kind: 'text', text: ADVANCE_DIRECTIVES_TITLE, font: 'bold', size: 17, color: COLORS.accent, keepWithNext: true },
    { kind: 'text', text: frenchText(MODEL_TITLES[input.model]), font: 'italic', size: 10, color: COLORS.muted, gapBefore: 4 },
    {
      kind: 'fields',
      gapBefore: 12,
      rows: [
        ['Je soussigné(e)', input.patient.name],
        ...(input.patient.birthDate ? [['Né(e) le', formatDateFr(input.patient.birthDate)] as [string, string]] : []),
        ...(input.patient.birthPlace ? [['À', input.patient.birthPlace] as [string, string]] : []),
      ],
    },
    {
      kind: 'text',
      gapBefore: 8,
      text: frenchText('rédige les présentes directives anticipées pour le cas où je ne serais plus en mesure d’exprimer ma volonté.'),
    },
  ];
  for (const h of DIRECTIVE_HEADINGS[input.model]) {
    const answer = a[h.key]?.trim();
    blocks.push({ kind: 'text', text: frenchText(h.title), font: 'bold', size: 11, color: COLORS.accent, gapBefore: 14, keepWithNext: true });
    blocks.push(answer ? { kind: 'text', text: frenchText(answer), gapBefore: 4 } : { kind: 'text', text: 'Je n’ai rien précisé.', font: 'italic', color: COLORS.muted, gapBefore: 4 });
  }
  blocks.push({ kind: 'text', text: frenchText(`Fait à ${a.place.trim()}, le ${formatDateFr(input.signedAt)}`), font: 'bold', gapBefore: 18 });
  blocks.push({ kind: 'text', text: frenchText(`Validé en ligne par ${input.patient.name}`), color: COLORS.muted, gapBefore: 2 });
  blocks.push({ kind: 'box', gapBefore: 16, lines: [{ text: frenchText(REVOCATION_NOTICE), size: 9 }] });
  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
