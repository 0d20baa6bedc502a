import type { EntrySource, VaccinationInput } from '../../contract/profile.js';
import { SYSTEM } from '../../domain/access/index.js';
import { bloodGroupToFhir } from '../../domain/profile/sections/blood-group.js';
import { SECTIONS, sourceExtension, type Json, type ListSection } from '../../domain/profile/sections/index.js';
import { organDonationToFhir } from '../../domain/profile/sections/organ-donation.js';
import { vaccinationToFhir, type Recorder } from '../../domain/profile/sections/vaccinations.js';
import { parseSearch } from '../../fhir/search/parse.js';
import { makeContext, type FhirOperations } from '../../repo/index.js';
import type { ProfileDeps } from '../profile/deps.js';
import { declarationResource } from '../profile/unconcerned.js';
import { vaccineById } from '../reference/vaccines.js';
import { PATIENTS, PRACTITIONERS, patientId, practitionerId } from './world.js';

/**
 * The demo patients' medical profile (issue 8, docs/profile.md): Camille Martin's rich adult profile (diseases,
 * a treatment for one of them and a past one stopped for her allergy, an allergy, a hospitalisation with a
 * document of her record, family history, "non concerné" by disabilities, vaccinations (her childhood MMR doses
 * among them), one of them recorded by her médecin traitant, blood group, her contacts with the personne de confiance, organ donation),
 * Louis Bernard's (diseases and treatments of his age, a disability, vaccinations, last season's influenza one
 * among them) and the infant calendar's
 * vaccinations of Léo and Jade. Written through the repository by Carnet itself, with the same mappings as the
 * application API; run once, on a fresh demo database.
 */

type Entry = { section: ListSection; input: Json; key?: string };

function nameOf(key: string): string {
  const p = PATIENTS.find((x) => x.key === key)!;
  return `${p.given[0]} ${p.family}`;
}

async function seedRecord(ops: FhirOperations, now: Date, key: string, entries: Entry[], vaccinations: (VaccinationInput & { byDoctor?: boolean })[], by: EntrySource): Promise<void> {
  const pid = patientId(key);
  const ids = new Map<string, string>();
  const ext = [sourceExtension(by)];
  // links name earlier entries by their key: "@disease" becomes the Condition's id
  const resolve = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' && x.startsWith('@') ? ids.get(x.slice(1)) : x)) : v);
  for (const e of entries) {
    const input = Object.fromEntries(Object.entries(e.input).map(([k, v]) => [k, k.endsWith('Ids') ? resolve(v) : v]));
    const parsed = SECTIONS[e.section].parse(input, now) as unknown as Json;
    const resource = (SECTIONS[e.section].toFhir as unknown as (i: Json, p: string, x: Json[]) => Json)(parsed, pid, ext);
    const { version } = await ops.create(resource);
    if (e.key) ids.set(e.key, version.id);
  }
  const doctor = PRACTITIONERS.find((p) => p.login === 'dr.durand')!;
  const recorder: Recorder = { practitionerId: practitionerId(doctor.login), display: `Dr ${doctor.given} ${doctor.family}` };
  for (const v of vaccinations) {
    const { byDoctor, ...input } = v;
    const vaccine = await ops.withTables((q) => vaccineById(q, input.vaccineRefId));
    if (!vaccine) continue; // the operator's list may lack it
    const source: EntrySource = byDoctor ? { kind: 'professional', name: recorder.display } : by;
    await ops.create(vaccinationToFhir(input, vaccine, pid, [sourceExtension(source)], byDoctor ? recorder : undefined));
  }
}

/** The id of a document of the record, found by its title (demo/documents.ts deposits them first). */
async function documentId(deps: ProfileDeps, ops: FhirOperations, pid: string, title: string): Promise<string | undefined> {
  const params = new URLSearchParams({ patient: pid, _count: '50' });
  const found = await ops.search('DocumentReference', parseSearch('DocumentReference', params, { defaultCount: 50, maxCount: 50, strict: true, fhirBase: deps.fhirBase }));
  return found.versions.find((v) => {
    const r = JSON.parse(v.content!) as Json;
    return ((r.content ?? []) as Json[]).some((c) => (c.attachment as Json | undefined)?.title === title);
  })?.id;
}

/** The infant calendar (calendrier vaccinal 2025) from a birth date: [months of age, vaccine, type]. */
function infantCalendar(birthDate: string, today: string): VaccinationInput[] {
  const doses: [number, string, VaccinationInput['administration']][] = [
    [2, 'infanrix-hexa', 'INITIMMUNIZ'],
    [2, 'prevenar-13', 'INITIMMUNIZ'],
    [4, 'infanrix-hexa', 'INITIMMUNIZ'],
    [4, 'prevenar-13', 'INITIMMUNIZ'],
    [5, 'neisvac-c', 'INITIMMUNIZ'],
    [11, 'infanrix-hexa', 'BOOSTER'],
    [11, 'prevenar-13', 'BOOSTER'],
    [12, 'priorix', 'INITIMMUNIZ'],
    [12, 'neisvac-c', 'BOOSTER'],
    [16, 'priorix', 'BOOSTER'],
    [72, 'boostrixtetra', 'BOOSTER'],
  ];
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  return doses
    .map(([months, vaccineRefId, administration]) => {
      const at = new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28)));
      return { vaccineRefId, administration, date: at.toISOString().slice(0, 10) };
    })
    .filter((v) => v.date <= today);
}

export async function seedDemoProfile(deps: ProfileDeps, now: Date): Promise<void> {
  const ctx = makeContext(SYSTEM, { now: () => now });
  const today = now.toISOString().slice(0, 10);
  const camille = nameOf('camille.martin');
  await deps.repo.run(ctx, async (ops) => {
    // --- Camille Martin, 38 ans -------------------------------------------------------------------------------
    const c = patientId('camille.martin');
    // her médecin traitant's synthesis, filed with her hospitalisation (the profile links documents to it)
    const synthesis = await documentId(deps, ops, c, 'Synthèse médicale');
    await seedRecord(
      ops,
      now,
      'camille.martin',
      [
        { section: 'diseases', key: 'migraine', input: { name: 'Migraine avec aura', start: { year: 2009, month: 5 }, comment: 'Crises deux à trois fois par mois, déclenchées par le manque de sommeil.' } },
        { section: 'diseases', input: { name: 'Asthme allergique', start: { year: 1996 }, comment: 'Peu de crises depuis 2015.' } },
        { section: 'allergies', key: 'penicillin', input: { name: 'Pénicilline', comment: 'Urticaire géant en 2004.' } },
        { section: 'treatments', input: { name: 'CLAMOXYL 1 g, comprimé dispersible', dosage: '1 comprimé matin et soir', start: { year: 2004, month: 3 }, end: { year: 2004, month: 3 }, comment: 'Arrêté après un urticaire géant.', allergyIds: ['@penicillin'] } },
        { section: 'treatments', input: { name: 'IMIGRANE 50 mg, comprimé pelliculé', cis: '64676030', dosage: '1 comprimé au début de la crise, 2 par jour au plus', start: { year: 2018, month: 3 }, diseaseIds: ['@migraine'] } },
        { section: 'hospitalisations', input: { name: 'Accouchement de Jade', start: { year: 2021, month: 9, day: 20 }, duration: { value: 4, unit: 'DAY' }, comment: 'Maternité des Bluets, Paris', ...(synthesis ? { documentIds: [synthesis] } : {}) } },
        { section: 'family-history', input: { name: 'Cancer du sein', relationship: 'MOTHER', comment: 'À 52 ans' } },
        { section: 'family-history', input: { name: 'Diabète de type 2', relationship: 'GRANDFATHER' } },
        { section: 'habits', input: { topic: 'PHYSICAL_ACTIVITY', answer: 'Course à pied deux fois par semaine', date: today } },
        { section: 'contacts', input: { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Thomas', lastName: 'Martin', phone: '06 12 34 56 78', email: 'thomas.martin@exemple.fr', address: '24 rue des Pyrénées, 75020 Paris' } },
        { section: 'contacts', input: { kind: 'EMERGENCY_CONTACT', relation: 'MOTHER', firstName: 'Hélène', lastName: 'Lefèvre', phone: '01 43 00 00 00' } },
      ],
      [
        // her childhood MMR doses (12 months, then the second dose at 11 as the 1990s calendar caught it up)
        { vaccineRefId: 'priorix', date: '1989-03-20', administration: 'INITIMMUNIZ' },
        { vaccineRefId: 'priorix', date: '1999-05-17', administration: 'BOOSTER' },
        { vaccineRefId: 'boostrixtetra', date: '2013-04-10', administration: 'BOOSTER', performer: 'Dr Claire Durand' },
        { vaccineRefId: 'vaxigrip-tetra', date: `${Number(today.slice(0, 4)) - (today.slice(5) < '10-20' ? 1 : 0)}-10-15`, administration: 'IMMUNIZ', lotNumber: 'X4F21', byDoctor: true },
        { vaccineRefId: 'comirnaty', date: '2021-06-02', administration: 'INITIMMUNIZ', performer: 'Centre de vaccination Paris 20e' },
      ],
      { kind: 'patient', name: camille },
    );
    // "non concerné" by disabilities, declared when she filled in her profile
    await ops.create(declarationResource(c, 'disabilities', now));
    await ops.create(bloodGroupToFhir('APOS', c, [sourceExtension({ kind: 'patient', name: camille })], now));
    await ops.create(organDonationToFhir({ position: 'DONOR', informedRelatives: true }, c, [sourceExtension({ kind: 'patient', name: camille })], now));

    // --- Louis Bernard, né en 1957 -----------------------------------------------------------------------------
    const louis = nameOf('louis.bernard');
    await seedRecord(
      ops,
      now,
      'louis.bernard',
      [
        { section: 'diseases', key: 'cholesterol', input: { name: 'Hypercholestérolémie', start: { year: 2012 } } },
        { section: 'diseases', key: 'heart', input: { name: 'Infarctus du myocarde', start: { year: 2019, month: 2 }, end: { year: 2019, month: 3 }, comment: 'Pose d’un stent, suivi cardiologique annuel.' } },
        { section: 'diseases', input: { name: 'Hypertension artérielle', start: { year: 2015 } } },
        { section: 'treatments', input: { name: 'ATORVASTATINE TEVA SANTE 40 mg, comprimé pelliculé', cip13: '3400949444137', cis: '60007437', dosage: '1 comprimé le soir', start: { year: 2019, month: 3 }, diseaseIds: ['@cholesterol'] } },
        { section: 'treatments', input: { name: 'CLOPIDOGREL ACCORD 75 mg, comprimé pelliculé', cis: '67971897', dosage: '1 comprimé par jour', start: { year: 2019, month: 3 }, diseaseIds: ['@heart'] } },
        { section: 'disabilities', input: { name: 'Surdité de l’oreille gauche', types: ['SENSORY'], rate: 'LESS_THAN_50', technicalHelp: 'Appareil auditif', humanHelp: 'NO' } },
        { section: 'hospitalisations', input: { name: 'Infarctus : angioplastie coronaire', start: { year: 2019, month: 2, day: 11 }, duration: { value: 6, unit: 'DAY' } } },
        { section: 'contacts', input: { kind: 'TRUSTED_CONTACT', relation: 'SPOUSE', firstName: 'Monique', lastName: 'Bernard', phone: '04 78 00 00 00' } },
      ],
      [
        { vaccineRefId: 'revaxis', date: '2022-03-08', administration: 'BOOSTER' },
        { vaccineRefId: 'prevenar-20', date: '2023-11-02', administration: 'IMMUNIZ' },
        // the influenza vaccination of last season (the campaign opens mid-October)
        { vaccineRefId: 'efluelda', date: `${Number(today.slice(0, 4)) - (today.slice(5) >= '10-15' ? 1 : 2)}-10-20`, administration: 'IMMUNIZ', byDoctor: true },
        { vaccineRefId: 'shingrix', date: '2024-05-14', administration: 'INITIMMUNIZ' },
      ].filter((v) => v.date <= today) as (VaccinationInput & { byDoctor?: boolean })[],
      { kind: 'patient', name: louis },
    );
    await ops.create(bloodGroupToFhir('ONEG', patientId('louis.bernard'), [sourceExtension({ kind: 'patient', name: louis })], now));

    // --- the children: the infant calendar, entered by their mother ---------------------------------------------
    for (const key of ['leo.martin', 'jade.martin']) {
      const child = PATIENTS.find((p) => p.key === key)!;
      await seedRecord(ops, now, key, [], infantCalendar(child.birthDate, today), { kind: 'patient', name: camille });
    }
  });
}
