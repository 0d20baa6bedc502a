import { formatDateFr, wrapText } from './format.js';
import {
  BODY_BOTTOM,
  COLORS,
  DocumentBuilder,
  MARGIN,
  MM,
  PAGE,
  fullName,
  layoutBlocks,
  rowsHeight,
  type Block,
  type Fonts,
  type PageCanvas,
  type Row,
} from './layout.js';

export const NOTICE_LETTERS_TITLE = 'Information sur la création de votre profil';

export interface NoticeLetter {
  familyName: string;
  givenName: string;
  address: {
    /** Street lines; "\n" separates several lines (building, street, lieu-dit). */
    line: string;
    postalCode: string;
    city: string;
  };
  /** Single-use code, formatted XXXX-XXXX-XXXX. */
  code: string;
  /** Date the profile is created if the person does not object. */
  opensOn: Date;
  /** Children attached to the addressee, as they should be printed ("Léa Martin"). */
  children?: string[];
}

export interface NoticeLettersInput {
  operatorName: string;
  /** Public address of the portal, e.g. "https://carnet.example.fr" (a trailing slash is ignored). */
  baseUrl: string;
  letters: NoticeLetter[];
  /** Phone number for objections by phone; without it the letter points to the operator's support. */
  phone?: string;
  /** Name of the service in the letters; "Mon espace santé" by default. */
  serviceName?: string;
  /** Date of the letters, printed in the letter and the footer; now by default. */
  generatedAt?: Date;
}

// Window envelope (DL, window on the right): address block 110 mm from the left, 50 mm from the top,
// 85 mm wide, at most 6 lines. The body starts below the first fold (99 mm) so that nothing personal
// (the code) shows through the window.
const ADDRESS_LEFT = 110 * MM;
const ADDRESS_TOP = PAGE.height - 50 * MM;
const ADDRESS_WIDTH = 85 * MM;
const ADDRESS_MAX_LINES = 6;
const LETTER_BODY_TOP = PAGE.height - 101 * MM;
const SCALES = [1, 0.95, 0.9, 0.85, 0.8, 0.75];

/**
 * The postal notices sent before a profile is created (CSP R1111-28): one A4 page per letter, all in one
 * PDF ready for a mail house. Each page tells the addressee when the profile will be created, how to object
 * (online with the code, or by phone), how to activate the profile now, and which children it also covers.
 */
export async function noticeLetters(input: NoticeLettersInput): Promise<Uint8Array> {
  if (input.letters.length === 0) throw new RangeError('noticeLetters: no letters');
  const generatedAt = input.generatedAt ?? new Date();
  const builder = await DocumentBuilder.create({
    operatorName: input.operatorName,
    title: NOTICE_LETTERS_TITLE,
    subject: `${input.letters.length} courrier(s)`,
    generatedAt,
  });
  const context: LetterContext = {
    operatorName: input.operatorName,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    phone: input.phone,
    service: input.serviceName ?? 'Mon espace santé',
    dated: `Le ${formatDateFr(generatedAt)}`,
  };
  const total = input.letters.length;
  input.letters.forEach((letter, index) => {
    const canvas = builder.addPage();
    drawLetter(canvas, builder.fonts, context, letter);
    builder.footerNotes.set(index, `Courrier ${index + 1} / ${total}`);
  });
  return builder.save(() => ({ page: 1, of: 1 }));
}

interface LetterContext {
  operatorName: string;
  baseUrl: string;
  phone?: string;
  service: string;
  dated: string;
}

function drawLetter(canvas: PageCanvas, fonts: Fonts, context: LetterContext, letter: NoticeLetter): void {
  // Sender and date, left column.
  let y = ADDRESS_TOP - 10;
  for (const line of wrapText(context.operatorName, fonts.bold, 10, ADDRESS_LEFT - MARGIN - 20).slice(0, 3)) {
    canvas.text(line, MARGIN, y, { font: 'bold', size: 10 });
    y -= 13;
  }
  canvas.text(context.dated, MARGIN, y - 8, { size: 10, color: COLORS.muted });

  // Address block, in the envelope window.
  const address = addressLines(letter, fonts);
  address.forEach((line, i) => canvas.text(line, ADDRESS_LEFT, ADDRESS_TOP - 10 - i * 13, { size: 10.5 }));

  // Body, made smaller if needed so that each letter fits its page.
  const available = LETTER_BODY_TOP - BODY_BOTTOM;
  const children = letter.children?.filter((c) => c.trim() !== '') ?? [];
  let rows: Row[] = [];
  for (let shown = children.length; ; shown = Math.floor(shown / 2)) {
    for (const scale of SCALES) {
      rows = layoutBlocks(letterBlocks(context, letter, children, shown), fonts, scale);
      if (rowsHeight(rows) <= available) break;
    }
    if (rowsHeight(rows) <= available || shown === 0) break;
  }
  let top = LETTER_BODY_TOP;
  rows.forEach((row, i) => {
    top -= i === 0 ? 0 : row.gapBefore;
    row.draw(canvas, top);
    top -= row.height;
  });
}

function addressLines(letter: NoticeLetter, fonts: Fonts): string[] {
  const wrap = (text: string): string[] => wrapText(text, fonts.regular, 10.5, ADDRESS_WIDTH).filter((l) => l !== '');
  const name = wrap(fullName(letter));
  const street = letter.address.line.split(/\r?\n/).flatMap(wrap);
  // La Poste: the last line is the postal code and the city in capitals, without accents.
  const city = letter.address.city.normalize('NFD').replace(/\p{M}/gu, '').toLocaleUpperCase('fr-FR');
  const last = wrap(`${letter.address.postalCode.trim()} ${city}`.trim()).slice(0, 1);
  const lines = [...name, ...street];
  return [...lines.slice(0, ADDRESS_MAX_LINES - last.length), ...last];
}

function letterBlocks(context: LetterContext, letter: NoticeLetter, children: string[], shown: number): Block[] {
  const opensOn = formatDateFr(letter.opensOn);
  const { baseUrl, service, operatorName } = context;
  const phone = context.phone
    ? `par téléphone au ${context.phone}.`
    : `par téléphone, auprès du service d’assistance de ${operatorName}.`;
  const blocks: Block[] = [
    { kind: 'text', text: `Votre profil ${service} sera créé le ${opensOn}`, font: 'bold', size: 15, color: COLORS.accent },
    { kind: 'text', text: 'Madame, Monsieur,', gapBefore: 10 },
    {
      kind: 'text',
      gapBefore: 8,
      text:
        `${service} est un espace santé personnel, gratuit et sécurisé, proposé par ${operatorName}. ` +
        'Il vous permet de conserver vos documents de santé (ordonnances, résultats d’examens, comptes rendus), ' +
        'de les partager avec les professionnels de santé qui vous soignent et d’échanger avec eux par une messagerie sécurisée.',
    },
    {
      kind: 'text',
      gapBefore: 6,
      text:
        `Sauf opposition de votre part, votre profil sera créé automatiquement le ${opensOn}, ` +
        'avec votre dossier médical partagé. Vous pourrez ensuite le fermer à tout moment.',
    },
    { kind: 'text', text: 'Vous ne souhaitez pas de profil ?', font: 'bold', size: 11.5, gapBefore: 12, keepWithNext: true },
    { kind: 'text', gapBefore: 4, text: `Vous pouvez vous opposer à sa création avant le ${opensOn} :` },
    {
      kind: 'bullets',
      gapBefore: 3,
      items: [`en ligne sur ${baseUrl}/opposition, avec le code ci-dessous ;`, phone],
    },
    { kind: 'text', gapBefore: 2, text: 'Une attestation d’opposition vous sera alors remise.' },
    {
      kind: 'box',
      gapBefore: 10,
      lines: [
        { text: 'Votre code personnel, à usage unique', size: 9, color: COLORS.muted, align: 'center' },
        { text: letter.code, font: 'mono', size: 24, align: 'center' },
        { text: 'Ne le communiquez à personne.', size: 8.5, color: COLORS.muted, align: 'center' },
      ],
    },
    {
      kind: 'text',
      text: 'Vous souhaitez utiliser votre profil dès maintenant ?',
      font: 'bold',
      size: 11.5,
      gapBefore: 12,
      keepWithNext: true,
    },
    {
      kind: 'text',
      gapBefore: 4,
      text:
        `Activez-le sur ${baseUrl}/activation avec ce code, votre numéro de sécurité sociale et le numéro de série ` +
        'de votre carte Vitale. Le code ne peut servir qu’une seule fois.',
    },
  ];
  if (children.length > 0) {
    const listed = children.slice(0, Math.max(shown, 0));
    const others = children.length - listed.length;
    const names =
      listed.length === 0
        ? `${children.length} enfant(s)`
        : others > 0
          ? `${listed.join(', ')} et ${others} autre(s) enfant(s)`
          : listed.join(', ');
    blocks.push(
      { kind: 'text', text: 'Vos enfants', font: 'bold', size: 11.5, gapBefore: 12, keepWithNext: true },
      {
        kind: 'text',
        gapBefore: 4,
        text:
          `Ce courrier concerne aussi le profil des enfants qui vous sont rattachés : ${names}. ` +
          'Leur profil sera créé à la même date. En tant que représentant légal, vous pouvez vous y opposer ' +
          'ou l’activer de la même façon, avec le même code.',
      },
    );
  }
  blocks.push(
    { kind: 'text', gapBefore: 12, text: 'Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.' },
    { kind: 'text', gapBefore: 6, text: operatorName, font: 'bold' },
  );
  return blocks;
}
