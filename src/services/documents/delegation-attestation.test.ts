import { describe, expect, it } from 'vitest';
import {
  DELEGATION_ATTESTATION_TITLE,
  delegationAttestation,
  type DelegationAttestationInput,
} from './delegation-attestation.js';
import { extractPdfText, flattenText } from './extract-text.js';

const base: DelegationAttestationInput = {
  operatorName: 'Carnet Santé Démo',
  event: 'accepted',
  kind: 'carer',
  at: new Date('2026-11-22T17:40:00Z'),
  helped: { familyName: 'Martin', givenName: 'Lucie', birthDate: '1941-05-01' },
  delegate: { familyName: 'Durand', givenName: 'Paul' },
  generatedAt: new Date('2026-11-22T17:41:00Z'),
};

async function textOf(input: DelegationAttestationInput): Promise<{ pages: string[]; all: string }> {
  const pages = (await extractPdfText(await delegationAttestation(input))).map(flattenText);
  return { pages, all: pages.join(' ') };
}

describe('delegationAttestation', () => {
  it('attests an accepted carer, with what the carer can and cannot do', async () => {
    const { pages, all } = await textOf(base);
    expect(pages).toHaveLength(1);
    expect(all).toContain(DELEGATION_ATTESTATION_TITLE);
    expect(all).toContain('Acceptation du partage de profil');
    expect(all).toContain('Lucie MARTIN, né(e) le 1er mai 1941');
    expect(all).toContain('Paul DURAND');
    expect(all).toContain('Proche aidant');
    expect(all).toContain('22 novembre 2026 à 18:40');
    expect(all).toContain('Paul DURAND a accepté l’invitation à devenir proche aidant de Lucie MARTIN');
    expect(all).toContain('lire et envoyer des messages');
    expect(all).toContain('ne peut pas');
    expect(all).toContain('fermer ou supprimer le profil');
    expect(all).toContain('télécharger une copie des données du profil');
    expect(all).toContain('gérer les partages du profil');
    expect(all).toContain('Cette attestation est enregistrée dans les documents du profil de Lucie MARTIN');
    expect(all).toContain('Page 1 / 1');
    expect(all).toContain('Document généré le 22/11/2026 à 18:41');
    expect(all).toContain('Carnet — espace santé');
  });

  it('attests a refusal by a second legal representative', async () => {
    const { all } = await textOf({
      ...base,
      event: 'refused',
      kind: 'legal-representative',
      helped: { familyName: 'Martin', givenName: 'Léa', birthDate: '2015-09-03' },
    });
    expect(all).toContain('Refus du partage de profil');
    expect(all).toContain('Second représentant légal');
    expect(all).toContain('a refusé l’invitation à accéder au profil de Léa MARTIN en tant que second représentant légal');
    expect(all).toContain('Aucun accès au profil de Léa MARTIN n’a été donné à Paul DURAND');
    expect(all).not.toContain('ne peut pas');
  });

  it('attests an accepted second legal representative', async () => {
    const { all } = await textOf({ ...base, kind: 'legal-representative' });
    expect(all).toContain('Acceptation du partage de profil');
    expect(all).toContain('Représentant légal Paul DURAND');
    expect(all).toContain('en tant que second représentant légal');
    expect(all).toContain('auquel l’enfant est rattaché');
  });

  it('attests a revocation, by either side', async () => {
    const byHelped = await textOf({ ...base, event: 'revoked', revokedBy: 'helped' });
    expect(byHelped.all).toContain('Fin du partage de profil');
    expect(byHelped.all).toContain('Partage arrêté par Lucie MARTIN');
    expect(byHelped.all).toContain('a pris fin, à l’initiative de Lucie MARTIN');
    expect(byHelped.all).toContain('Paul DURAND n’a plus accès au profil de Lucie MARTIN');

    const byDelegate = await textOf({ ...base, event: 'revoked', revokedBy: 'delegate' });
    expect(byDelegate.all).toContain('à l’initiative de Paul DURAND');

    const unknown = await textOf({ ...base, event: 'revoked' });
    expect(unknown.all).toContain('(proche aidant) a pris fin.');
  });

  it('accepts any character in the data', async () => {
    const { all } = await textOf({
      ...base,
      helped: { familyName: 'Œhler', givenName: 'Zoë 🌸', birthDate: '1950-12-25' },
      delegate: { familyName: 'Nguyễn', givenName: 'Thị 李' },
    });
    expect(all).toContain('Zoë ? ŒHLER');
    expect(all).toContain('Thi ? NGUYÊN');
  });

  it('numbers the pages when the text runs over', async () => {
    const { pages } = await textOf({ ...base, delegate: { familyName: 'Durand '.repeat(250), givenName: 'Paul' } });
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} / ${pages.length}`);
      expect(page).toContain('Carnet — espace santé');
    });
  });
});
