import { describe, expect, it } from 'vitest';
import { ADVANCE_DIRECTIVES_TITLE, advanceDirectivesPdf, DIRECTIVE_HEADINGS, MODEL_TITLES, type AdvanceDirectivesInput } from './advance-directives-pdf.js';
import { extractPdfText, flattenText } from './extract-text.js';
import { medicalSummaryPdf } from './medical-summary.js';

const input: AdvanceDirectivesInput = {
  operatorName: 'Carnet (test)',
  patient: { name: 'Louis BERNARD', birthDate: '1957-11-05' },
  model: 'end-of-life',
  answers: {
    context: 'Insuffisance cardiaque. Ce qui compte: rester chez moi!',
    lifeSupport: 'Pas de réanimation ni de dialyse.',
    sedation: 'Oui, si je souffre.',
    treatmentsStopped: "L'alimentation artificielle.",
    place: 'Paris',
  },
  signedAt: new Date('2024-03-14T10:00:00Z'),
  generatedAt: new Date('2024-03-14T10:00:00Z'),
};

async function textOf(bytes: Uint8Array): Promise<{ pages: string[]; all: string; raw: string }> {
  const pages = await extractPdfText(bytes);
  return { pages, all: flattenText(pages.join('\n')), raw: pages.join('\n') };
}

describe('advanceDirectivesPdf', () => {
  it('holds the legal form: who, the model, the answers under their headings, "Fait à … le …" and the right to revoke', async () => {
    const bytes = await advanceDirectivesPdf(input);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { all, raw } = await textOf(bytes);
    expect(all).toContain(ADVANCE_DIRECTIVES_TITLE);
    expect(all).toContain('Je soussigné(e) Louis BERNARD');
    expect(all).toContain('Né(e) le 5 novembre 1957');
    expect(all).toContain('Modèle A');
    expect(all).toContain('Maintien artificiel de la vie');
    expect(all).toContain('Pas de réanimation ni de dialyse.');
    expect(all).toContain('Sédation profonde et continue');
    expect(all).toContain('L’alimentation artificielle.');
    expect(all).toContain('Fait à Paris, le 14 mars 2024');
    expect(all).toContain('réviser ou les révoquer');
    expect(all).toContain('L1111-11');
    // headings of answers left empty say so rather than disappear
    expect(all).toContain('Je n’ai rien précisé.');
    // French typography: no-break spaces before the high punctuation
    expect(raw).toContain('compte\u00A0: rester chez moi\u00A0!');
    for (const h of DIRECTIVE_HEADINGS['end-of-life']) expect(all).toContain(flattenText(h.title).slice(0, 30));
  });

  it('titles the good-health model as such', async () => {
    const { all } = await textOf(await advanceDirectivesPdf({ ...input, model: 'good-health' }));
    expect(all).toContain(flattenText(MODEL_TITLES['good-health']).slice(0, 40));
    expect(all).toContain('Mon contexte');
  });
});

describe('medicalSummaryPdf', () => {
  it('says "Non concerné (déclaré le …)" and "Non renseigné", section by section', async () => {
    const bytes = await medicalSummaryPdf({
      operatorName: 'Carnet (test)',
      patient: { name: 'Camille MARTIN', birthDate: '1988-03-14' },
      generatedAt: new Date('2024-03-14T10:00:00Z'),
      sections: [
        { title: 'Allergies', items: ['Pénicilline — urticaire: sévère'] },
        { title: 'Traitements', items: [], unconcernedSince: '2024-02-01T09:00:00Z' },
        { title: 'Handicaps', items: [] },
      ],
    });
    const { all, raw } = await textOf(bytes);
    expect(all).toContain('Synthèse du profil médical');
    expect(all).toContain('Date de naissance');
    expect(all).toContain('14 mars 1988');
    expect(all).toMatch(/Allergies.*Pénicilline — urticaire : sévère.*Traitements.*Non concerné \(déclaré le 1er février 2024\).*Handicaps.*Non renseigné/);
    expect(raw).toContain('urticaire\u00A0: sévère');
  });
});
