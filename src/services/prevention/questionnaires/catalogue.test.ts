import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPdfText, flattenText } from '../../documents/extract-text.js';
import { loadQuestionnaires, shippedQuestionnairesDir } from './catalogue.js';
import { questionnaireFileName, questionnairePdf } from './pdf.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder holding the shipped files, changed by `change`. */
function folder(change: (files: Map<string, any>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-questionnaires-'));
  dirs.push(dir);
  const files = new Map<string, any>();
  for (const f of fs.readdirSync(shippedQuestionnairesDir())) {
    if (f.endsWith('.json')) files.set(f, JSON.parse(fs.readFileSync(path.join(shippedQuestionnairesDir(), f), 'utf8')));
  }
  change(files);
  for (const [f, content] of files) fs.writeFileSync(path.join(dir, f), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('loadQuestionnaires', () => {
  it('reads the shipped files: four bands, the current version of each, any version by canonical URL', () => {
    const c = loadQuestionnaires();
    expect(c.bands()).toEqual(['18-25', '45-50', '60-65', '70-75']);
    expect(c.bands().map((b) => c.current(b)!.version)).toEqual(['2026.1', '2026.1', '2026.1', '2026.1']);
    expect(c.get('urn:carnet:questionnaire:key-age-18-25', '2025.1')!.status).toBe('retired');
    expect(c.versionOf('18-25', '2025.1').id).toBe('key-age-18-25-2025.1');
    expect(() => c.versionOf('18-30')).toThrow(/no key-age questionnaire/);
    expect(() => c.versionOf('18-25', '2024.1')).toThrow(/no version 2024.1/);
  });

  it('the current version is the latest active one: a newer draft is not offered yet', () => {
    const dir = folder((files) => {
      const next = structuredClone(files.get('key-age-18-25-2026.1.json'));
      Object.assign(next, { id: 'key-age-18-25-2027.1', version: '2027.1', status: 'draft' });
      files.set('key-age-18-25-2027.1.json', next);
    });
    const c = loadQuestionnaires(dir);
    expect(c.current('18-25')!.version).toBe('2026.1');
    expect(c.versionOf('18-25', '2027.1').status).toBe('draft');
  });

  it('stops on a bad file, naming it', () => {
    expect(() => loadQuestionnaires(folder((files) => files.set('broken.json', '{ not json')))).toThrow(/^broken\.json: /);
    expect(() =>
      loadQuestionnaires(
        folder((files) => {
          files.get('key-age-45-50-2026.1.json').item[0].item[0].type = 'integer';
        }),
      ),
    ).toThrow(/^key-age-45-50-2026\.1\.json: Questionnaire: item food: type integer/);
    expect(() =>
      loadQuestionnaires(
        folder((files) => {
          files.set('copy.json', files.get('key-age-60-65-2026.1.json'));
        }),
      ),
    ).toThrow(/is also defined by/);
  });
});

describe('questionnairePdf', () => {
  it('lists the questions asked with their answers, in French typography, and says who filled it in', async () => {
    const q = loadQuestionnaires().current('70-75')!;
    const bytes = await questionnairePdf({
      operatorName: 'Carnet (test)',
      questionnaire: q,
      answers: { falls: 'several', 'falls-fear': 'yes', 'help-needed': ['shopping', 'transport'], topics: 'Mes chutes: que faire?' },
      final: true,
      at: new Date('2026-11-23T10:00:00Z'),
      person: { name: 'Louis BERNARD', birthDate: '1951-11-05' },
      filledBy: 'Camille Martin',
      generatedAt: new Date('2026-11-23T10:00:00Z'),
    });
    const pages = await extractPdfText(bytes);
    const all = flattenText(pages.join('\n'));
    for (const s of ['Mon bilan prévention 70-75 ans', 'Louis BERNARD', '5 novembre 1951', '70 à 75 ans', '2026.1', 'Finalisé le 23 novembre 2026', 'Rempli par', 'Camille Martin', 'Oui, plusieurs fois', 'faire vos courses, vous déplacer hors de chez vous', 'Sans réponse']) {
      expect(all, s).toContain(flattenText(s));
    }
    expect(pages.join('\n')).toContain('Mes chutes\u00A0: que faire\u00A0?');
    expect(all).toContain(flattenText('Avez-vous peur de tomber'));
    expect(questionnaireFileName(q, new Date('2026-11-23T10:00:00Z'))).toBe('Mon bilan prévention 70-75 ans du 23 novembre 2026.pdf');
  });

  it('leaves out the questions the answers do not ask', async () => {
    const q = loadQuestionnaires().current('70-75')!;
    const bytes = await questionnairePdf({ operatorName: 'Carnet (test)', questionnaire: q, answers: { falls: 'no' }, final: false, at: new Date(), person: { name: 'X' }, generatedAt: new Date() });
    const all = flattenText((await extractPdfText(bytes)).join('\n'));
    expect(all).toContain(flattenText('Brouillon enregistré le'));
    expect(all).not.toContain(flattenText('Avez-vous peur de tomber'));
  });
});
