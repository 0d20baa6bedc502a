import { formatDateFr, formatTimeFr } from './format.js';
import { COLORS, DocumentBuilder, flowRows, fullName, layoutBlocks, type Block } from './layout.js';

export const DELEGATION_ATTESTATION_TITLE = 'Attestation de partage de profil';

export type DelegationEvent = 'accepted' | 'refused' | 'revoked';
export type DelegationKind = 'carer' | 'legal-representative';

export interface DelegationAttestationInput {
  operatorName: string;
  event: DelegationEvent;
  /** A carer (proche aidant) or the second legal representative of a child. */
  kind: DelegationKind;
  at: Date;
  /** The person whose profile is shared. */
  helped: { familyName: string; givenName: string; /** YYYY-MM-DD */ birthDate: string };
  /** The carer or second legal representative. */
  delegate: { familyName: string; givenName: string };
  /** Who ended the sharing, for `event: 'revoked'`. */
  revokedBy?: 'helped' | 'delegate';
  /** Date printed in the footer; now by default. */
  generatedAt?: Date;
}

export const DELEGATION_EVENT_TITLES: Record<DelegationEvent, string> = {
  accepted: 'Acceptation du partage de profil',
  refused: 'Refus du partage de profil',
  revoked: 'Fin du partage de profil',
};

const ROLE: Record<DelegationKind, string> = {
  carer: 'Proche aidant',
  'legal-representative': 'Second représentant légal',
};

/** What a carer may do on the profile (MES UI strings). */
export const CARER_CAN = [
  'consulter les données et les documents du profil ;',
  'ajouter, modifier et supprimer des données et des documents ;',
  'lire et envoyer des messages.',
];

/** What stays reserved to the holder of the profile. */
export const CARER_CANNOT = [
  'fermer ou supprimer le profil ;',
  'télécharger une copie des données du profil ;',
  'gérer les partages du profil (inviter ou retirer un aidant).',
];

/**
 * Attestation issued when a carer or a second legal representative accepts or refuses the sharing of a
 * profile, or when the sharing is revoked by either side. It is meant to be saved in the documents of the
 * helped person's profile.
 */
export async function delegationAttestation(input: DelegationAttestationInput): Promise<Uint8Array> {
  const helped = fullName(input.helped);
  const delegate = fullName(input.delegate);
  const when = `${formatDateFr(input.at)} à ${formatTimeFr(input.at)}`;
  const carer = input.kind === 'carer';
  const invitation = carer
    ? `devenir proche aidant de ${helped}`
    : `accéder au profil de ${helped} en tant que second représentant légal`;

  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: DELEGATION_ATTESTATION_TITLE,
    subject: `${DELEGATION_EVENT_TITLES[input.event]} : ${helped}`,
    generatedAt: input.generatedAt ?? new Date(),
  });

  const decision =
    input.event === 'accepted'
      ? 'Partage accepté'
      : input.event === 'refused'
        ? 'Invitation refusée'
        : input.revokedBy === 'helped'
          ? `Partage arrêté par ${helped}`
          : input.revokedBy === 'delegate'
            ? `Partage arrêté par ${delegate}`
            : 'Partage arrêté';

  const blocks: Block[] = [
    { kind: 'text', text: DELEGATION_ATTESTATION_TITLE, font: 'bold', size: 17, color: COLORS.accent, keepWithNext: true },
    { kind: 'text', text: DELEGATION_EVENT_TITLES[input.event], font: 'bold', size: 12.5, gapBefore: 4, keepWithNext: true },
    {
      kind: 'fields',
      gapBefore: 16,
      rows: [
        ['Profil partagé', `${helped}, né(e) le ${formatDateFr(input.helped.birthDate)}`],
        [carer ? 'Proche aidant' : 'Représentant légal', delegate],
        ['Rôle', ROLE[input.kind]],
        ['Décision', decision],
        ['Date et heure', `${when} (heure de Paris)`],
      ],
    },
  ];

  if (input.event === 'accepted') {
    blocks.push(
      { kind: 'text', gapBefore: 16, text: `Le ${when}, ${delegate} a accepté l’invitation à ${invitation}.` },
      { kind: 'text', gapBefore: 6, text: `Depuis cette date, ${delegate} a accès au profil de ${helped}.` },
      {
        kind: 'text',
        text: `Ce que ${delegate} peut faire`,
        font: 'bold',
        size: 11.5,
        gapBefore: 16,
        keepWithNext: true,
      },
      { kind: 'bullets', gapBefore: 6, items: CARER_CAN },
    );
    if (carer) {
      blocks.push(
        { kind: 'text', text: `Ce qui reste réservé à ${helped}`, font: 'bold', size: 11.5, gapBefore: 12, keepWithNext: true },
        { kind: 'text', gapBefore: 4, text: `En tant que proche aidant, ${delegate} ne peut pas :`, keepWithNext: true },
        { kind: 'bullets', gapBefore: 4, items: CARER_CANNOT },
      );
    } else {
      blocks.push(
        { kind: 'text', text: 'Ce qui reste réservé', font: 'bold', size: 11.5, gapBefore: 12, keepWithNext: true },
        {
          kind: 'text',
          gapBefore: 4,
          text:
            'La gestion des partages du profil (inviter ou retirer un représentant légal ou un aidant) reste réservée ' +
            'au représentant légal auquel l’enfant est rattaché pour l’assurance maladie.',
        },
      );
    }
    blocks.push({
      kind: 'text',
      gapBefore: 12,
      text: `${helped} et ${delegate} peuvent chacun mettre fin à ce partage à tout moment.`,
    });
  } else if (input.event === 'refused') {
    blocks.push(
      { kind: 'text', gapBefore: 16, text: `Le ${when}, ${delegate} a refusé l’invitation à ${invitation}.` },
      { kind: 'text', gapBefore: 6, text: `Aucun accès au profil de ${helped} n’a été donné à ${delegate}.` },
    );
  } else {
    const initiative =
      input.revokedBy === 'helped' ? `, à l’initiative de ${helped}` : input.revokedBy === 'delegate' ? `, à l’initiative de ${delegate}` : '';
    blocks.push(
      {
        kind: 'text',
        gapBefore: 16,
        text: `Le ${when}, le partage du profil de ${helped} avec ${delegate} (${ROLE[input.kind].toLowerCase()}) a pris fin${initiative}.`,
      },
      { kind: 'text', gapBefore: 6, text: `Depuis cette date, ${delegate} n’a plus accès au profil de ${helped}.` },
    );
  }

  blocks.push({
    kind: 'text',
    gapBefore: 22,
    size: 8.5,
    color: COLORS.muted,
    text: `Cette attestation est enregistrée dans les documents du profil de ${helped}.`,
  });

  flowRows(builder, layoutBlocks(blocks, builder.fonts));
  return builder.save();
}
