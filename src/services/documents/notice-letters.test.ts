import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractPdfText, flattenText } from './extract-text.js';
import { NOTICE_LETTERS_TITLE, noticeLetters, type NoticeLetter, type NoticeLettersInput } from './notice-letters.js';

const letters: NoticeLetter[] = [
  {
    familyName: 'Martin',
    givenName: 'Lucie',
    address: { line: '12 rue de la Paix', postalCode: '75002', city: 'Paris' },
    code: 'AB12-CD34-EF56',
    opensOn: new Date('2026-12-01T09:00:00Z'),
  },
  {
    familyName: 'Lefèvre',
    givenName: 'François',
    address: { line: 'Résidence Les Œillets, bât. B\n4 allée des Tilleuls', postalCode: '42000', city: 'Saint-Étienne' },
    code: 'GH78-JK9M-NP2Q',
    opensOn: new Date('2027-01-15T09:00:00Z'),
    children: ['Léa Lefèvre', 'Hugo Lefèvre'],
  },
  {
    familyName: 'N’Diaye',
    givenName: 'Aïssatou',
    address: { line: '3 place Ségurane', postalCode: '06300', city: 'Nice' },
    code: 'RS34-TU56-VW78',
    opensOn: new Date('2026-12-31T23:30:00Z'), // 1 January 2027 in Paris
  },
];

const input: NoticeLettersInput = {
  operatorName: 'CPAM du Rhône',
  baseUrl: 'https://carnet.example.fr/',
  letters,
  generatedAt: new Date('2026-10-20T07:05:00Z'),
};

async function pagesOf(bytes: Uint8Array): Promise<string[]> {
  return (await extractPdfText(bytes)).map(flattenText);
}

describe('noticeLetters', () => {
  it('has one page per letter, each with its own addressee and code', async () => {
    const pages = await pagesOf(await noticeLetters(input));
    expect(pages).toHaveLength(3);
    letters.forEach((letter, i) => {
      expect(pages[i]).toContain(letter.code);
      for (const [j, other] of letters.entries()) if (j !== i) expect(pages[i]).not.toContain(other.code);
    });
    expect(pages[0]).toContain('Lucie MARTIN');
    expect(pages[0]).toContain('12 rue de la Paix');
    expect(pages[0]).toContain('75002 PARIS');
    expect(pages[1]).toContain('François LEFÈVRE');
    expect(pages[1]).toContain('Résidence Les Œillets, bât. B 4 allée des Tilleuls');
    expect(pages[1]).toContain('42000 SAINT-ETIENNE');
    expect(pages[2]).toContain('Aïssatou N’DIAYE');
  });

  it('announces the creation date in French, in Europe/Paris', async () => {
    const pages = await pagesOf(await noticeLetters(input));
    expect(pages[0]).toContain('Votre profil Mon espace santé sera créé le 1er décembre 2026');
    expect(pages[0]).toContain('Vous pouvez vous opposer à sa création avant le 1er décembre 2026');
    expect(pages[1]).toContain('sera créé le 15 janvier 2027');
    expect(pages[2]).toContain('sera créé le 1er janvier 2027');
    expect(pages[0]).toContain('Le 20 octobre 2026');
  });

  it('explains how to object and how to activate, with the links', async () => {
    const [page] = await pagesOf(await noticeLetters(input));
    expect(page).toContain('https://carnet.example.fr/opposition');
    expect(page).toContain('https://carnet.example.fr/activation');
    expect(page).not.toContain('fr//');
    expect(page).toContain('par téléphone, auprès du service d’assistance de CPAM du Rhône');
    expect(page).toContain('Votre code personnel, à usage unique');
    expect(page).toContain('une seule fois');
    expect(page).toContain('espace santé personnel, gratuit et sécurisé');
  });

  it('gives the phone number when there is one, and the service name', async () => {
    const [page] = await pagesOf(await noticeLetters({ ...input, phone: '01 23 45 67 89', serviceName: 'Carnet' }));
    expect(page).toContain('par téléphone au 01 23 45 67 89');
    expect(page).toContain('Votre profil Carnet sera créé le');
  });

  it('lists the children only in the letter that covers them', async () => {
    const pages = await pagesOf(await noticeLetters(input));
    expect(pages[1]).toContain('Léa Lefèvre, Hugo Lefèvre');
    expect(pages[1]).toContain('représentant légal');
    expect(pages[0]).not.toContain('Vos enfants');
    expect(pages[2]).not.toContain('Léa');
  });

  it('has the header and a footer per letter', async () => {
    const pages = await pagesOf(await noticeLetters(input));
    pages.forEach((page, i) => {
      expect(page).toContain('Carnet — espace santé');
      expect(page).toContain('CPAM du Rhône');
      expect(page).toContain('Page 1 / 1');
      expect(page).toContain(`Courrier ${i + 1} / 3`);
      expect(page).toContain('Document généré le 20/10/2026 à 09:05');
    });
  });

  it('keeps a letter on one page whatever its length', async () => {
    const children = Array.from({ length: 60 }, (_, i) => `Enfant numéro ${i + 1} Dupont-Martin`);
    const bytes = await noticeLetters({
      ...input,
      letters: [
        {
          ...letters[0],
          children,
          address: { line: 'Bâtiment C, escalier 4, 7e étage, appartement 712\n'.repeat(5), postalCode: '69003', city: 'Lyon' },
        },
      ],
    });
    const pages = await pagesOf(bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('AB12-CD34-EF56');
    expect(pages[0]).toContain('69003 LYON');
    expect(pages[0]).toContain('Enfant numéro 1 Dupont-Martin');
  });

  it('accepts any character in the data', async () => {
    const bytes = await noticeLetters({
      ...input,
      operatorName: 'Caisse 🏥 de l’Œise',
      letters: [{ ...letters[0], givenName: 'Zoé 🎉', familyName: 'Łukasiewicz', children: ['Ștefan 👶'] }],
    });
    const [page] = await pagesOf(bytes);
    expect(page).toContain('Zoé ? LUKASIEWICZ');
    expect(page).toContain('Stefan ?');
    expect(page).toContain('Caisse ? de l’Œise');
  });

  it('refuses an empty batch', async () => {
    await expect(noticeLetters({ ...input, letters: [] })).rejects.toThrow(RangeError);
  });

  it('handles 2,000 letters in one PDF, with the fonts embedded once', async () => {
    const many: NoticeLetter[] = Array.from({ length: 2000 }, (_, i) => ({
      ...letters[i % 3],
      code: `ZZ${String(i).padStart(4, '0')}-AAAA-BBBB`.slice(0, 14),
    }));
    const bytes = await noticeLetters({ ...input, letters: many });
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2000);
    expect(doc.getTitle()).toBe(NOTICE_LETTERS_TITLE);
    const fonts = doc.context
      .enumerateIndirectObjects()
      .filter(([, object]) => object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font'));
    expect(fonts).toHaveLength(4);
    const pages = await pagesOf(bytes);
    expect(pages[0]).toContain(many[0].code);
    expect(pages[1999]).toContain(many[1999].code);
    expect(pages[1999]).toContain('Courrier 2000 / 2000');
  });
});
