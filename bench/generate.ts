/**
 * Deterministic, realistic-looking French FHIR R4 data for the benchmark: practitioners, then patients in
 * blocks of 100, each with documents (DocumentReference), vital signs (Observation) and messages
 * (Communication). About one patient per hundred resources. Ids are UUIDs drawn from the seeded PRNG, so that
 * the same seed gives the same store and references are known before anything is written.
 *
 * Within a block the patients come first, then their clinical resources in date order, as a feed would bring
 * them: a patient's resources are spread over the block rather than stored side by side.
 */
import { makeRpps } from '../src/domain/directory/luhn.js';
import { makeNir } from '../src/domain/ins/index.js';
import { Prng } from './prng.js';

export type Json = Record<string, unknown>;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const FR_V2_0203 = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';
/** INS-NIR: the national health identifier, a NIR. */
export const INS_NIR_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
/** DMP document classes (TRE_A03-ClasseDocument). */
const CLASS_SYSTEM = 'urn:oid:1.2.250.1.213.1.1.4.1';

/** Document types, with how common they are in a record. */
export const DOCUMENT_TYPES = [
  { code: '11488-4', display: 'Consult note', fr: 'Compte rendu de consultation', cls: ['10', 'Compte rendu'], weight: 30 },
  { code: '57833-6', display: 'Prescription for medication', fr: 'Ordonnance', cls: ['13', 'Traitement et soins'], weight: 25 },
  { code: '11502-2', display: 'Laboratory report', fr: 'Compte rendu de biologie', cls: ['10', 'Compte rendu'], weight: 15 },
  { code: '11506-3', display: 'Progress note', fr: 'Note d’évolution', cls: ['10', 'Compte rendu'], weight: 10 },
  { code: '18842-5', display: 'Discharge summary', fr: 'Lettre de liaison de sortie', cls: ['10', 'Compte rendu'], weight: 8 },
  { code: '34133-9', display: 'Summary of episode note', fr: 'Synthèse médicale', cls: ['11', 'Synthèse'], weight: 7 },
  { code: '18748-4', display: 'Diagnostic imaging study', fr: 'Compte rendu d’imagerie', cls: ['10', 'Compte rendu'], weight: 5 },
] as const;

/** Vital signs, with how common they are. */
export const OBSERVATION_CODES = [
  { code: '29463-7', display: 'Body weight', fr: 'Poids', weight: 35 },
  { code: '85354-9', display: 'Blood pressure panel with all children optional', fr: 'Pression artérielle', weight: 30 },
  { code: '8867-4', display: 'Heart rate', fr: 'Fréquence cardiaque', weight: 20 },
  { code: '8302-2', display: 'Body height', fr: 'Taille', weight: 15 },
] as const;

const FAMILY = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson'];
const GIVEN_F = ['Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Inès', 'Jade', 'Louise', 'Alice', 'Lina', 'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Monique', 'Sophie', 'Élodie', 'Claire', 'Hélène', 'Anne', 'Juliette', 'Margaux'];
const GIVEN_M = ['Louis', 'Gabriel', 'Léo', 'Raphaël', 'Arthur', 'Jules', 'Hugo', 'Lucas', 'Adam', 'Paul', 'Jean', 'Pierre', 'Michel', 'Philippe', 'Alain', 'Nicolas', 'Christophe', 'Laurent', 'Julien', 'Thomas', 'Antoine', 'Étienne', 'François', 'Mathis'];
const PLACES = [
  { city: 'Paris', postalCode: '75011', dept: '75' },
  { city: 'Paris', postalCode: '75015', dept: '75' },
  { city: 'Lyon', postalCode: '69003', dept: '69' },
  { city: 'Marseille', postalCode: '13005', dept: '13' },
  { city: 'Toulouse', postalCode: '31000', dept: '31' },
  { city: 'Bordeaux', postalCode: '33000', dept: '33' },
  { city: 'Lille', postalCode: '59000', dept: '59' },
  { city: 'Nantes', postalCode: '44000', dept: '44' },
  { city: 'Strasbourg', postalCode: '67000', dept: '67' },
  { city: 'Rennes', postalCode: '35000', dept: '35' },
  { city: 'Nice', postalCode: '06000', dept: '06' },
  { city: 'Montpellier', postalCode: '34000', dept: '34' },
  { city: 'Clermont-Ferrand', postalCode: '63000', dept: '63' },
  { city: 'Ajaccio', postalCode: '20000', dept: '2A' },
];
const STREETS = ['rue de la République', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Gambetta', 'rue Pasteur', 'place de la Mairie', 'rue des Écoles', 'avenue de la Gare', 'rue du Moulin', 'chemin des Vignes'];
const SPECIALTIES = [
  { code: 'SM54', display: 'Médecine générale (SM)', weight: 8 },
  { code: 'SM04', display: 'Cardiologie et maladies vasculaires (SM)', weight: 2 },
  { code: 'SM26', display: 'Qualifié en Médecine Générale (SM)', weight: 2 },
  { code: 'SM44', display: 'Radio-diagnostic (SM)', weight: 1 },
];
const MESSAGES_FROM_PRO = [
  'Bonjour, vos résultats d’analyse sont disponibles dans votre espace. Rien d’inquiétant, nous en reparlerons à la prochaine consultation.',
  'Rappel : votre rendez-vous de suivi est prévu la semaine prochaine. Pensez à apporter votre carte Vitale.',
  'Votre ordonnance a été renouvelée, elle est disponible dans vos documents.',
  'Merci de reprendre rendez-vous pour le contrôle de tension dans trois mois.',
  'Le compte rendu de votre examen a été déposé dans votre dossier.',
  'Pensez à faire le rappel du vaccin contre la grippe cet automne.',
  'Suite à notre échange, je vous propose de réduire la posologie à un comprimé le matin.',
];
const MESSAGES_FROM_PATIENT = [
  'Bonjour docteur, pourriez-vous me renouveler mon ordonnance ? Merci par avance.',
  'Je vous transmets mes relevés de tension de la semaine, comme convenu.',
  'Bonjour, est-il possible de décaler mon rendez-vous de jeudi ?',
  'Merci pour le compte rendu, j’ai une question sur le traitement.',
];
/** "%PDF-1.4\n%âãÏÓ\n" and a comment: a small inline attachment. */
const SMALL_PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% Carnet benchmark document\n%%EOF\n', 'latin1').toString('base64');

/** 2020-01-01 to 2026-06-30, in days. */
const FIRST_DAY = Date.UTC(2020, 0, 1) / 86_400_000;
const LAST_DAY = Date.UTC(2026, 5, 30) / 86_400_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A local French date-time as FHIR text, with the offset of the season (+02:00 from April to October,
 * +01:00 otherwise; close enough to the real DST rule). Times are between 07:00 and 20:59, so the UTC date is
 * the local date and date searches have no boundary ambiguity.
 */
export function frenchDateTime(day: number, minuteOfDay: number): { text: string; ms: number; date: string } {
  const d = new Date(day * 86_400_000);
  const month = d.getUTCMonth() + 1;
  const offset = month >= 4 && month <= 10 ? 2 : 1;
  const m = Math.min(Math.max(minuteOfDay, 7 * 60), 20 * 60 + 59);
  const date = `${d.getUTCFullYear()}-${pad(month)}-${pad(d.getUTCDate())}`;
  const text = `${date}T${pad(Math.floor(m / 60))}:${pad(m % 60)}:00+0${offset}:00`;
  return { text, ms: day * 86_400_000 + (m - offset * 60) * 60_000, date };
}

interface PatientInfo {
  id: string;
  display: string;
  gp: PractitionerInfo;
  /** Base values for vital signs. */
  weight: number;
  height: number;
  systolic: number;
  heartRate: number;
}

interface PractitionerInfo {
  id: string;
  display: string;
}

/** One clinical resource and the instant it is ordered by. */
interface Dated {
  resource: Json;
  at: number;
}

/** Makes the clinical resources of a patient; the generator and the benchmark's create phases share it. */
export class ClinicalFactory {
  constructor(
    readonly rng: Prng,
    readonly practitioners: PractitionerInfo[],
  ) {}

  private when(): { day: number; minute: number } {
    return { day: this.rng.int(FIRST_DAY, LAST_DAY), minute: this.rng.int(7 * 60, 20 * 60) };
  }

  private otherPractitioner(p: PatientInfo): PractitionerInfo {
    return this.rng.chance(0.6) ? p.gp : this.rng.pick(this.practitioners);
  }

  documentReference(p: PatientInfo, id?: string): Dated {
    const rng = this.rng;
    const t = rng.weighted(DOCUMENT_TYPES.map((d) => [d, d.weight] as const));
    const { day, minute } = this.when();
    const start = frenchDateTime(day, minute);
    const end = frenchDateTime(day, minute + rng.int(15, 60));
    const filed = frenchDateTime(day, minute + rng.int(30, 240));
    const author = this.otherPractitioner(p);
    const title = `${t.fr} du ${start.date.split('-').reverse().join('/')}`;
    const docId = id ?? rng.uuid();
    const inline = rng.chance(0.1);
    const resource: Json = {
      resourceType: 'DocumentReference',
      ...(id !== undefined ? { id } : {}),
      masterIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:1.2.250.1.999.${rng.int(1, 99999)}.${rng.u32()}` },
      status: 'current',
      docStatus: 'final',
      type: { coding: [{ system: LOINC, code: t.code, display: t.display }], text: t.fr },
      category: [{ coding: [{ system: CLASS_SYSTEM, code: t.cls[0], display: t.cls[1] }] }],
      subject: { reference: `Patient/${p.id}`, display: p.display },
      date: filed.text,
      ...(rng.chance(0.85) ? { author: [{ reference: `Practitioner/${author.id}`, display: author.display }] } : {}),
      description: title,
      securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', display: 'normal' }] }],
      content: [
        {
          attachment: inline
            ? { contentType: 'application/pdf', language: 'fr-FR', data: SMALL_PDF, title, creation: end.text }
            : {
                contentType: 'application/pdf',
                language: 'fr-FR',
                url: `https://documents.sante.example.fr/dmp/${docId}.pdf`,
                size: rng.int(20_000, 900_000),
                title,
                creation: end.text,
              },
          format: { system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
        },
      ],
      context: {
        period: { start: start.text, end: end.text },
        practiceSetting: { coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'ETABLISSEMENT', display: 'Etablissement de santé' }] },
      },
    };
    return { resource, at: filed.ms };
  }

  observation(p: PatientInfo, id?: string): Dated {
    const rng = this.rng;
    const c = rng.weighted(OBSERVATION_CODES.map((o) => [o, o.weight] as const));
    const { day, minute } = this.when();
    const when = frenchDateTime(day, minute);
    const code = { coding: [{ system: LOINC, code: c.code, display: c.display }], text: c.fr };
    const quantity = (value: number, unit: string, ucum: string) => ({ value, unit, system: UCUM, code: ucum });
    let value: Json;
    switch (c.code) {
      case '29463-7':
        value = { valueQuantity: quantity(Math.round((p.weight + rng.normal() * 1.5) * 10) / 10, 'kg', 'kg') };
        break;
      case '8302-2':
        value = { valueQuantity: quantity(Math.round(p.height + rng.normal() * 0.5), 'cm', 'cm') };
        break;
      case '8867-4':
        value = { valueQuantity: quantity(Math.round(p.heartRate + rng.normal() * 6), 'battements/min', '/min') };
        break;
      default: {
        const systolic = Math.round(p.systolic + rng.normal() * 8);
        const component = (loinc: string, display: string, v: number) => ({
          code: { coding: [{ system: LOINC, code: loinc, display }] },
          valueQuantity: quantity(v, 'mm[Hg]', 'mm[Hg]'),
        });
        value = {
          component: [
            component('8480-6', 'Systolic blood pressure', systolic),
            component('8462-4', 'Diastolic blood pressure', Math.round(systolic * 0.62 + rng.normal() * 4)),
          ],
        };
      }
    }
    const resource: Json = {
      resourceType: 'Observation',
      ...(id !== undefined ? { id } : {}),
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
      code,
      subject: { reference: `Patient/${p.id}` },
      effectiveDateTime: when.text,
      ...(rng.chance(0.3) ? { performer: [{ reference: `Practitioner/${p.gp.id}`, display: p.gp.display }] } : {}),
      ...value,
    };
    return { resource, at: when.ms };
  }

  communication(p: PatientInfo, id?: string): Dated {
    const rng = this.rng;
    const { day, minute } = this.when();
    const sent = frenchDateTime(day, minute);
    const received = frenchDateTime(day, minute + rng.int(1, 120));
    const fromPatient = rng.chance(0.3);
    const pro = this.otherPractitioner(p);
    const patientRef = { reference: `Patient/${p.id}`, display: p.display };
    const proRef = { reference: `Practitioner/${pro.id}`, display: pro.display };
    const resource: Json = {
      resourceType: 'Communication',
      ...(id !== undefined ? { id } : {}),
      status: 'completed',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: fromPatient ? 'instruction' : 'notification' }] }],
      medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'WRITTEN', display: 'written' }] }],
      subject: patientRef,
      topic: { text: fromPatient ? 'Message du patient' : 'Message de votre professionnel de santé' },
      sent: sent.text,
      received: received.text,
      sender: fromPatient ? patientRef : proRef,
      recipient: [fromPatient ? proRef : patientRef],
      payload: [{ contentString: rng.pick(fromPatient ? MESSAGES_FROM_PATIENT : MESSAGES_FROM_PRO) }],
    };
    return { resource, at: sent.ms };
  }

  /** One of the three kinds, in the proportions of a record (25 documents, 55 vital signs, 19 messages). */
  any(p: PatientInfo): Dated {
    const r = this.rng.int(0, 98);
    return r < 25 ? this.documentReference(p) : r < 80 ? this.observation(p) : this.communication(p);
  }
}

const PRACTITIONERS = 40;
const PATIENTS_PER_BLOCK = 100;

/**
 * The endless stream of resources. `take(n)` continues where the previous call stopped, so a store of 1 M is
 * the store of 10 k plus the next 990 k resources.
 */
export class DataGenerator {
  private readonly rng: Prng;
  private readonly factory: ClinicalFactory;
  readonly practitioners: PractitionerInfo[] = [];
  private readonly patientInfo = new Map<string, PatientInfo>();
  /** Patients emitted so far (their Patient resource is in the stream already). */
  readonly patientIds: string[] = [];
  private buffer: Json[] = [];
  private position = 0;
  /** Resources emitted so far. */
  emitted = 0;

  constructor(readonly seed: number) {
    this.rng = new Prng(seed);
    const pracs: Json[] = [];
    for (let i = 0; i < PRACTITIONERS; i++) pracs.push(this.practitioner());
    this.factory = new ClinicalFactory(this.rng, this.practitioners);
    this.buffer = pracs;
  }

  /** A patient emitted so far, for making more of their resources (the create phases). */
  patient(id: string): PatientInfo {
    return this.patientInfo.get(id)!;
  }

  *take(n: number): Generator<Json> {
    for (let i = 0; i < n; i++) {
      if (this.position >= this.buffer.length) this.fillBlock();
      const r = this.buffer[this.position++]!;
      if (r.resourceType === 'Patient') this.patientIds.push(r.id as string);
      this.emitted++;
      yield r;
    }
  }

  private practitioner(): Json {
    const rng = this.rng;
    const female = rng.chance(0.5);
    const family = rng.pick(FAMILY);
    const given = rng.pick(female ? GIVEN_F : GIVEN_M);
    const rpps = makeRpps(`10${String(rng.int(0, 99_999_999)).padStart(8, '0')}`);
    const specialty = rng.weighted(SPECIALTIES.map((s) => [s, s.weight] as const));
    const place = rng.pick(PLACES);
    const id = rng.uuid();
    this.practitioners.push({ id, display: `Dr ${given} ${family}` });
    return {
      resourceType: 'Practitioner',
      id,
      identifier: [
        { system: 'https://rpps.esante.gouv.fr', value: rpps, type: { coding: [{ system: V2_0203, code: 'RPPS' }] } },
        { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${rpps}`, type: { coding: [{ system: V2_0203, code: 'IDNPS' }] } },
      ],
      active: true,
      name: [{ use: 'official', family, given: [given], prefix: ['Dr'] }],
      gender: female ? 'female' : 'male',
      telecom: [{ system: 'email', value: `${given}.${family}@medecin.mssante.fr`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '') }],
      address: [{ line: [`${rng.int(1, 120)} ${rng.pick(STREETS)}`], city: place.city, postalCode: place.postalCode, country: 'FR' }],
      qualification: [
        {
          code: {
            coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale', code: specialty.code, display: specialty.display }],
          },
        },
      ],
    };
  }

  private patientResource(): Json {
    const rng = this.rng;
    const female = rng.chance(0.52);
    const family = rng.pick(FAMILY);
    const given = [rng.pick(female ? GIVEN_F : GIVEN_M), ...(rng.chance(0.4) ? [rng.pick(female ? GIVEN_F : GIVEN_M)] : [])];
    const year = rng.int(1935, 2019);
    const month = rng.int(1, 12);
    const birthDate = `${year}-${pad(month)}-${pad(rng.int(1, 28))}`;
    const place = rng.pick(PLACES);
    const nir = makeNir({
      sex: female ? '2' : '1',
      birthYear: pad(year % 100),
      birthMonth: pad(month),
      department: place.dept,
      commune: pad(rng.int(1, 999), 3),
      order: pad(rng.int(1, 999), 3),
    });
    const gp = rng.pick(this.practitioners);
    const id = rng.uuid();
    const adult = year <= 2006;
    this.patientInfo.set(id, {
      id,
      display: `${given[0]} ${family.toUpperCase()}`,
      gp,
      weight: adult ? (female ? 64 : 78) + rng.normal() * 10 : 15 + (2019 - year) * 3,
      height: adult ? (female ? 163 : 176) + rng.normal() * 6 : 95 + (2019 - year) * 6,
      systolic: 115 + rng.normal() * 10 + (adult ? (2020 - year) / 4 : 0),
      heartRate: 70 + rng.normal() * 8,
    });
    return {
      resourceType: 'Patient',
      id,
      extension: [
        {
          url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
          extension: [
            { url: 'identityStatus', valueCoding: { system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status', code: 'QUAL', display: 'Identité qualifiée' } },
          ],
        },
      ],
      identifier: [{ use: 'official', type: { coding: [{ system: FR_V2_0203, code: 'INS-NIR' }] }, system: INS_NIR_SYSTEM, value: nir }],
      active: true,
      name: [{ use: 'official', family, given }],
      telecom: [
        { system: 'phone', value: `+33 6 ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}`, use: 'mobile' },
      ],
      gender: female ? 'female' : 'male',
      birthDate,
      address: [{ use: 'home', line: [`${rng.int(1, 200)} ${rng.pick(STREETS)}`], city: place.city, postalCode: place.postalCode, country: 'FR' }],
      generalPractitioner: [{ reference: `Practitioner/${gp.id}`, display: gp.display }],
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fr-FR' }] }, preferred: true }],
    };
  }

  /** The next block: its patients, then their documents, vital signs and messages in date order. */
  private fillBlock(): void {
    const rng = this.rng;
    const patients: Json[] = [];
    const clinical: Dated[] = [];
    for (let i = 0; i < PATIENTS_PER_BLOCK; i++) {
      const patient = this.patientResource();
      patients.push(patient);
      const info = this.patientInfo.get(patient.id as string)!;
      const docs = rng.int(10, 40);
      const obs = rng.int(25, 85);
      const msgs = rng.int(7, 31);
      for (let j = 0; j < docs; j++) clinical.push(this.factory.documentReference(info, rng.uuid()));
      for (let j = 0; j < obs; j++) clinical.push(this.factory.observation(info, rng.uuid()));
      for (let j = 0; j < msgs; j++) clinical.push(this.factory.communication(info, rng.uuid()));
    }
    clinical.sort((a, b) => a.at - b.at);
    this.buffer = [...patients, ...clinical.map((c) => c.resource)];
    this.position = 0;
  }
}
