import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractPdfText, flattenText } from './extract-text.js';
import { maskNir } from './format.js';
import { OBJECTION_PROOF_TITLE, objectionProof, type ObjectionProofInput } from './objection-proof.js';

const NIR = '284037510804646';

const input: ObjectionProofInput = {
  operatorName: 'Caisse primaire d’assurance maladie de Paris',
  reference: 'OPP-2026-000123',
  objectedAt: new Date('2026-11-22T17:40:00Z'),
  channel: 'online',
  person: { familyName: 'Martin', givenName: 'Lucie Anne', birthDate: '1984-03-12', nirMasked: maskNir(NIR) },
  generatedAt: new Date('2026-11-23T08:15:00Z'),
};

async function textOf(bytes: Uint8Array): Promise<{ pages: string[]; all: string }> {
  const pages = await extractPdfText(bytes);
  return { pages, all: flattenText(pages.join('\n')) };
}

describe('objectionProof', () => {
  it('is a one-page PDF with the title, the person, the reference and the date', async () => {
    const bytes = await objectionProof(input);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages, all } = await textOf(bytes);
    expect(pages).toHaveLength(1);
    expect(all).toContain(OBJECTION_PROOF_TITLE);
    expect(all).toContain('Attestation d’opposition à la création de votre profil');
    expect(all).toContain('MARTIN');
    expect(all).toContain('Lucie Anne');
    expect(all).toContain('12 mars 1984');
    expect(all).toContain('OPP-2026-000123');
    expect(all).toContain('22 novembre 2026 à 18:40');
    expect(all).toContain('En ligne');
    expect(all).toContain('aucun profil Mon espace santé ne sera ouvert à votre nom');
    const custom = await textOf(await objectionProof({ ...input, serviceName: 'Carnet' }));
    expect(custom.all).toContain('à la création de son profil Carnet.');
    expect(all).toContain('demander l’ouverture de votre profil');
  });

  it('has the header and footer', async () => {
    const { all } = await textOf(await objectionProof(input));
    expect(all).toContain('Carnet — espace santé');
    expect(all).toContain('Caisse primaire d’assurance maladie de Paris');
    expect(all).toContain('Page 1 / 1');
    expect(all).toContain('Document généré le 23/11/2026 à 09:15');
  });

  it('says so when the objection was made by phone', async () => {
    const { all } = await textOf(await objectionProof({ ...input, channel: 'phone' }));
    expect(all).toContain('Par téléphone');
    expect(all).toContain('par téléphone, à la création de son profil');
    expect(all).not.toContain('En ligne');
  });

  it('prints the masked NIR and never the full one', async () => {
    const { all } = await textOf(await objectionProof(input));
    expect(all).toContain('2 84 03 ** *** *** 46');
    expect(all.replace(/\s/g, '')).not.toContain(NIR);
    expect(all.replace(/\s/g, '')).not.toContain('7510804');
  });

  it('masks a full NIR given by mistake', async () => {
    const bytes = await objectionProof({ ...input, person: { ...input.person, nirMasked: '2 84 03 75 108 046 46' } });
    const { all } = await textOf(bytes);
    expect(all).toContain('2 84 03 ** *** *** 46');
    expect(all.replace(/\s/g, '')).not.toContain(NIR);
  });

  it('sets the document metadata', async () => {
    const doc = await PDFDocument.load(await objectionProof(input), { updateMetadata: false });
    expect(doc.getTitle()).toBe(OBJECTION_PROOF_TITLE);
    expect(doc.getAuthor()).toBe(input.operatorName);
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-23T08:15:00.000Z');
    const [width, height] = [doc.getPage(0).getWidth(), doc.getPage(0).getHeight()];
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
  });

  it('accepts any character in the data', async () => {
    const bytes = await objectionProof({
      ...input,
      operatorName: 'CPAM de l’Œise 🏥',
      reference: 'RÉF‐42 ✓',
      person: { ...input.person, familyName: 'Œhlenschläger-Łukasiewicz', givenName: 'Zoé 🎉 Ștefana 李' },
    });
    const { all } = await textOf(bytes);
    expect(all).toContain('ŒHLENSCHLÄGER-LUKASIEWICZ');
    expect(all).toContain('Zoé ? Stefana ?');
    expect(all).toContain('CPAM de l’Œise ?');
    expect(all).toContain('RÉF-42 ?');
  });

  it('wraps very long values instead of overflowing', async () => {
    const bytes = await objectionProof({ ...input, person: { ...input.person, givenName: 'Marie-'.repeat(60) } });
    const { pages, all } = await textOf(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(all.replace(/\s/g, '')).toContain('Marie-'.repeat(60));
  });
});
