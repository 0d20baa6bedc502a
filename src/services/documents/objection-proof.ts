import { formatDateFr, formatTimeFr, looksLikeUnmaskedNir, maskNir } from './format.js';
import { COLORS, DocumentBuilder, flowRows, fullName, layoutBlocks, type Block } from './layout.js';

export const OBJECTION_PROOF_TITLE = 'Attestation d’opposition à la création de votre profil';

export interface ObjectionProofInput {
  operatorName: string;
  /** Reference number of the objection, to quote in any later request. */
  reference: string;
  objectedAt: Date;
  channel: 'online' | 'phone';
  person: {
    familyName: string;
    givenName: string;
    /** YYYY-MM-DD */
    birthDate: string;
    /** The NIR already masked (see `maskNir`); an unmasked NIR given by mistake is masked again. */
    nirMasked: string;
  };
  /** Name of the service in the text; "Mon espace santé" by default, as in the notice letters. */
  serviceName?: string;
  /** Date printed in the footer; now by default. */
  generatedAt?: Date;
}

/**
 * Proof of opposition to the automatic creation of a profile (CSP L1111-13-1, R1111-28): who objected,
 * when, through which channel, under which reference; no profile will be opened; the person may still ask
 * for one later. One A4 page in practice.
 */
export async function objectionProof(input: ObjectionProofInput): Promise<Uint8Array> {
  const { person } = input;
  const service = input.serviceName ?? 'Mon espace santé';
  const name = fullName(person);
  const nir = looksLikeUnmaskedNir(person.nirMasked) ? maskNir(person.nirMasked) : person.nirMasked;
  const when = `${formatDateFr(input.objectedAt)} à ${formatTimeFr(input.objectedAt)}`;
  const channel = input.channel === 'online' ? 'en ligne' : 'par téléphone';

  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: OBJECTION_PROOF_TITLE,
    subject: `Opposition ${input.reference}`,
    generatedAt: input.generatedAt ?? new Date(),
  });

  const blocks: Block[] = [
    { kind: 'text', text: OBJECTION_PROOF_TITLE, font: 'bold', size: 17, color: COLORS.accent, keepWithNext: true },
    {
      kind: 'box',
      gapBefore: 16,
      lines: [
        { text: 'Référence de l’opposition', size: 9, color: COLORS.muted },
        { text: input.reference, font: 'mono', size: 15 },
      ],
    },
    { kind: 'text', text: 'Personne concernée', font: 'bold', size: 12, gapBefore: 18, keepWithNext: true },
    {
      kind: 'fields',
      gapBefore: 6,
      rows: [
        ['Nom', person.familyName.trim().toLocaleUpperCase('fr-FR')],
        ['Prénom(s)', person.givenName],
        ['Date de naissance', formatDateFr(person.birthDate)],
        ['N° de sécurité sociale', nir],
      ],
    },
    { kind: 'text', text: 'Opposition', font: 'bold', size: 12, gapBefore: 14, keepWithNext: true },
    {
      kind: 'fields',
      gapBefore: 6,
      rows: [
        ['Date et heure', `${when} (heure de Paris)`],
        ['Canal', input.channel === 'online' ? 'En ligne' : 'Par téléphone'],
        ['Référence', input.reference],
      ],
    },
    {
      kind: 'text',
      gapBefore: 18,
      text:
        `${input.operatorName} atteste que ${name}, né(e) le ${formatDateFr(person.birthDate)}, s’est opposé(e) ` +
        `le ${when}, ${channel}, à la création de son profil ${service}.`,
    },
    {
      kind: 'text',
      gapBefore: 8,
      text: `En conséquence, aucun profil ${service} ne sera ouvert à votre nom.`,
    },
    {
      kind: 'text',
      gapBefore: 8,
      text:
        `Cette décision n’est pas définitive : vous pourrez à tout moment demander l’ouverture de votre profil ` +
        `auprès de ${input.operatorName}, en ligne ou par téléphone.`,
    },
    {
      kind: 'text',
      gapBefore: 8,
      text: `Conservez ce document. Rappelez la référence ${input.reference} pour toute question sur votre opposition.`,
    },
    {
      kind: 'text',
      gapBefore: 22,
      size: 8.5,
      color: COLORS.muted,
      text:
        'Article L1111-13-1 du code de la santé publique : l’espace numérique de santé est ouvert automatiquement, ' +
        'sauf opposition de la personne ou de son représentant légal.',
    },
  ];

  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
