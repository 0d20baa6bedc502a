import { createHash } from 'node:crypto';
import type { Relation } from '../../domain/access/index.js';
import { makeFiness, makeRpps } from '../../domain/directory/luhn.js';
import { INS_OID, insSystem, makeNir, type NirParts } from '../../domain/ins/index.js';

/**
 * The demo world: a small, coherent French health space seeded on first start in demo mode. Logins and ids
 * are stable, because the README, scripts and tests rely on them.
 */

/** A stable UUID derived from a name, so that demo ids never change between installs. */
export function demoId(name: string): string {
  const h = createHash('sha256').update(`carnet-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Json = Record<string, unknown>;

export interface DemoOrganization {
  key: string;
  name: string;
  finess: string;
  city: string;
  postalCode: string;
  line: string;
  type: { code: string; display: string };
}

export interface DemoPractitioner {
  login: string;
  family: string;
  given: string;
  gender: 'male' | 'female';
  prefix?: string;
  rpps: string;
  profession: { code: string; display: string };
  specialty?: { code?: string; display: string };
  organization: string;
  roleText: string;
  /** Libéral (L, the default) or salarié (S) at `organization`. */
  mode?: 'L' | 'S';
  /** Other practice situations, at other demo organizations. */
  otherSituations?: { organization: string; mode: 'L' | 'S'; roleText: string }[];
  /** Code section tableau pharmaciens (A titulaires d'officine, G biologistes...). */
  pharmacistSection?: { code: string; display: string };
}

export interface DemoPatient {
  key: string;
  /** The user who is this patient; children have none. */
  login?: string;
  family: string;
  given: string[];
  gender: 'male' | 'female';
  birthDate: string;
  birthPlace: { code: string; city: string };
  nir: NirParts;
  email?: string;
  phone?: string;
  address: { line: string; city: string; postalCode: string };
  /** Other patients this one's user acts for. */
  represents?: { key: string; relation: Relation }[];
  /** The login of their médecin traitant, when they declared one. */
  medecinTraitant?: string;
  /** Number of clinical resources taken from the Synthea samples. */
  clinical: number;
  /** Which Synthea sample to draw from (file name prefix). */
  synthea: string;
}

export const ORGANIZATIONS: DemoOrganization[] = [
  { key: 'msp-belleville', name: 'Maison de santé pluriprofessionnelle de Belleville', finess: makeFiness('75004123'), city: 'Paris', postalCode: '75020', line: '12 rue de Belleville', type: { code: 'prov', display: 'Healthcare Provider' } },
  { key: 'pharmacie-marche', name: 'Pharmacie du Marché', finess: makeFiness('75004567'), city: 'Paris', postalCode: '75011', line: '3 place du Marché', type: { code: 'prov', display: 'Healthcare Provider' } },
  { key: 'cabinet-infirmier', name: 'Cabinet infirmier des Lilas', finess: makeFiness('93002345'), city: 'Les Lilas', postalCode: '93260', line: '40 rue de Paris', type: { code: 'prov', display: 'Healthcare Provider' } },
  { key: 'ch-paris-est', name: 'Centre hospitalier Paris-Est, service d’imagerie', finess: makeFiness('75001234'), city: 'Paris', postalCode: '75012', line: '80 avenue du Général Michel Bizot', type: { code: 'prov', display: 'Healthcare Provider' } },
  { key: 'labo-biosante', name: 'Laboratoire de biologie médicale BioSanté Paris', finess: makeFiness('75007890'), city: 'Paris', postalCode: '75010', line: '5 boulevard de Magenta', type: { code: 'prov', display: 'Healthcare Provider' } },
];

export const PRACTITIONERS: DemoPractitioner[] = [
  {
    login: 'dr.durand', family: 'Durand', given: 'Claire', gender: 'female', prefix: 'Dr', rpps: makeRpps('1000123456'), profession: { code: '10', display: 'Médecin' },
    specialty: { code: 'SM26', display: 'Qualifié en médecine générale' }, organization: 'msp-belleville', roleText: 'Médecin généraliste',
    // two practice situations: the sign-in asks which one
    otherSituations: [{ organization: 'ch-paris-est', mode: 'S', roleText: 'Consultations de médecine générale' }],
  },
  { login: 'ph.leroy', family: 'Leroy', given: 'Antoine', gender: 'male', rpps: makeRpps('1000223457'), profession: { code: '21', display: 'Pharmacien' }, organization: 'pharmacie-marche', roleText: 'Pharmacien titulaire d’officine', pharmacistSection: { code: 'A', display: "Pharmacien titulaire d'officine" } },
  { login: 'inf.moreau', family: 'Moreau', given: 'Sophie', gender: 'female', rpps: makeRpps('1000323458'), profession: { code: '60', display: 'Infirmier' }, organization: 'cabinet-infirmier', roleText: 'Infirmière libérale' },
  { login: 'dr.petit', family: 'Petit', given: 'Julien', gender: 'male', prefix: 'Dr', rpps: makeRpps('1000423459'), profession: { code: '10', display: 'Médecin' }, specialty: { display: 'Radiologie et imagerie médicale' }, organization: 'ch-paris-est', roleText: 'Radiologue', mode: 'S' },
  { login: 'bio.roux', family: 'Roux', given: 'Isabelle', gender: 'female', prefix: 'Dr', rpps: makeRpps('1000523450'), profession: { code: '21', display: 'Pharmacien' }, specialty: { display: 'Biologie médicale' }, organization: 'labo-biosante', roleText: 'Biologiste médicale', pharmacistSection: { code: 'G', display: 'Pharmacien biologiste' } },
];

export const PATIENTS: DemoPatient[] = [
  {
    key: 'camille.martin', medecinTraitant: 'dr.durand', login: 'camille.martin', family: 'Martin', given: ['Camille', 'Marie'], gender: 'female',
    birthDate: '1988-03-14', birthPlace: { code: '75056', city: 'Paris' },
    nir: { sex: '2', birthYear: '88', birthMonth: '03', department: '75', commune: '056', order: '123' },
    email: 'camille.martin@example.fr', phone: '+33 6 12 34 56 78',
    address: { line: '18 rue des Pyrénées', city: 'Paris', postalCode: '75020' },
    represents: [{ key: 'leo.martin', relation: 'parent' }, { key: 'jade.martin', relation: 'parent' }],
    clinical: 50, synthea: 'Dominga_Von',
  },
  {
    medecinTraitant: 'dr.durand', key: 'leo.martin', family: 'Martin', given: ['Léo'], gender: 'male', birthDate: '2018-06-02', birthPlace: { code: '75056', city: 'Paris' },
    nir: { sex: '1', birthYear: '18', birthMonth: '06', department: '75', commune: '056', order: '417' },
    address: { line: '18 rue des Pyrénées', city: 'Paris', postalCode: '75020' }, clinical: 10, synthea: 'Dannie_Kshlerin',
  },
  {
    medecinTraitant: 'dr.durand', key: 'jade.martin', family: 'Martin', given: ['Jade'], gender: 'female', birthDate: '2021-09-20', birthPlace: { code: '75056', city: 'Paris' },
    nir: { sex: '2', birthYear: '21', birthMonth: '09', department: '75', commune: '056', order: '288' },
    address: { line: '18 rue des Pyrénées', city: 'Paris', postalCode: '75020' }, clinical: 10, synthea: 'Claudie_Walsh',
  },
  {
    key: 'louis.bernard', login: 'louis.bernard', family: 'Bernard', given: ['Louis', 'Henri'], gender: 'male',
    birthDate: '1957-11-05', birthPlace: { code: '69123', city: 'Lyon' },
    nir: { sex: '1', birthYear: '57', birthMonth: '11', department: '69', commune: '123', order: '045' },
    email: 'louis.bernard@example.fr', phone: '+33 6 98 76 54 32',
    address: { line: '7 avenue Gambetta', city: 'Paris', postalCode: '75020' }, clinical: 50, synthea: 'Gerard_Thiel',
  },
];

export const OPERATOR = { login: 'admin', displayName: 'Opératrice Carnet (démo)' };

const FR_V2_0203 = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

export const patientId = (key: string) => demoId(`patient:${key}`);
/**
 * A demo professional's Practitioner id: their IdNat_PS ('8' + RPPS), as for every professional of the
 * national directory the demo world is imported into (services/demo/directory.ts).
 */
export function practitionerId(login: string): string {
  const p = PRACTITIONERS.find((x) => x.login === login);
  if (!p) throw new Error(`No demo professional '${login}'`);
  return `8${p.rpps}`;
}
/**
 * A demo organization's Organization id: its technical id in the demo directory extract ("Identifiant
 * technique de la structure", `demo-<key>`).
 */
export const organizationId = (key: string) => `demo-${key}`;
export const userId = (login: string) => demoId(`user:${login}`);

export function patientResource(p: DemoPatient): Json {
  const gp = PRACTITIONERS.find((x) => x.login === p.medecinTraitant);
  const nir = makeNir(p.nir);
  return {
    resourceType: 'Patient',
    id: patientId(p.key),
    extension: [
      {
        url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
        extension: [
          { url: 'identityStatus', valueCoding: { system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status', code: 'QUAL', display: 'Identité qualifiée' } },
          { url: 'validationMode', valueCoding: { system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-validation-mode', code: 'CN', display: 'Carte nationale d’identité' } },
        ],
      },
    ],
    identifier: [
      { use: 'official', type: { coding: [{ system: FR_V2_0203, code: 'INS-NIR-TEST' }] }, system: insSystem(INS_OID.TEST), value: nir },
    ],
    active: true,
    name: [{ use: 'official', family: p.family, given: p.given }],
    ...(p.email || p.phone
      ? { telecom: [...(p.email ? [{ system: 'email', value: p.email }] : []), ...(p.phone ? [{ system: 'phone', value: p.phone, use: 'mobile' }] : [])] }
      : {}),
    gender: p.gender,
    birthDate: p.birthDate,
    address: [{ line: [p.address.line], city: p.address.city, postalCode: p.address.postalCode, country: 'FR' }],
    ...(gp ? { generalPractitioner: [{ reference: `Practitioner/${practitionerId(gp.login)}`, display: `Dr ${gp.given} ${gp.family}` }] } : {}),
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fr-FR' }] }, preferred: true }],
  };
}

/** The parent as a RelatedPerson in the child's record. */
export function parentResource(child: DemoPatient, parent: DemoPatient): Json {
  return {
    resourceType: 'RelatedPerson',
    id: demoId(`related:${parent.key}:${child.key}`),
    patient: { reference: `Patient/${patientId(child.key)}` },
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: parent.gender === 'female' ? 'MTH' : 'FTH' }] }],
    name: [{ family: parent.family, given: parent.given }],
    ...(parent.email ? { telecom: [{ system: 'email', value: parent.email }] } : {}),
    gender: parent.gender,
  };
}

/** Every demo login with who it is, for the start-up banner and the README. */
export function demoLogins(): { login: string; who: string }[] {
  return [
    ...PATIENTS.filter((p) => p.login).map((p) => ({
      login: p.login!,
      who: `patient, ${p.given[0]} ${p.family}${p.represents?.length ? ` (parent of ${p.represents.map((r) => r.key).join(', ')})` : ''}`,
    })),
    ...PRACTITIONERS.map((p) => ({ login: p.login, who: `${p.roleText}, ${p.given} ${p.family}` })),
    { login: OPERATOR.login, who: 'operator' },
  ];
}
