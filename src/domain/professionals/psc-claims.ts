import type { Practice } from '../access/principal.js';

/**
 * Pro Santé Connect's identity claims (domain.md §1.4), read and written. Pure.
 *
 * PSC answers, in its ID token and userinfo, who the professional is: `SubjectNameID` is their national
 * identifier (IdNat_PS: '8' + RPPS, '0' + ADELI; test identities of the sandbox carry other values), and
 * `SubjectRefPro.exercices[]` lists their professions, each with its practice activities (`activities[]`,
 * one per structure where they practise). Carnet keys professionals on IdNat_PS, like the directory.
 */

/** One activity of an exercice: where and how the professional practises. */
export interface PscActivity {
  /** identifiantTechniqueDeLaStructure: the structure's technical id, also directory_organization.id. */
  structureId?: string;
  organizationName?: string;
  finessSite?: string;
  siretSite?: string;
  /** codeModeExercice (TRE_R23: L libéral, S salarié, B bénévole). */
  modeCode?: string;
  /** codeSecteurDactivite (TRE_R02: SA07…). */
  sectorCode?: string;
  roleCode?: string;
  postalCode?: string;
}

/** One exercice: a profession (and specialty) of the professional. */
export interface PscExercice {
  /** codeProfession (TRE_G15: 10 médecin, 21 pharmacien…). */
  professionCode: string;
  categoryCode?: string;
  skillTypeCode?: string;
  skillCode?: string;
  civilityCode?: string;
  familyName?: string;
  givenName?: string;
  activities: PscActivity[];
}

export interface PscIdentity {
  /** The OpenID Connect subject at PSC. */
  sub: string;
  /** IdNat_PS, from SubjectNameID. */
  idNat: string;
  /** The RPPS number when IdNat_PS is '8' + 11 digits. */
  rpps?: string;
  /** The ADELI number when IdNat_PS is '0' + 9 characters. */
  adeli?: string;
  givenName?: string;
  familyName?: string;
  /** codeCivilite (M, MME). */
  civilityCode?: string;
  /** The practice civility of the first exercice that has one (DR, PR…). */
  practiceCivilityCode?: string;
  exercices: PscExercice[];
}

export type PscMapping = { ok: true; identity: PscIdentity } | { ok: false; reason: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Drops the undefined fields (the types are exact-optional). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const ID_NAT = /^[A-Za-z0-9]{1,64}$/;

/** The RPPS or ADELI number inside an IdNat_PS, when it has the shape of one. */
export function splitIdNat(idNat: string): { rpps?: string; adeli?: string } {
  if (/^8\d{11}$/.test(idNat)) return { rpps: idNat.slice(1) };
  if (/^0[0-9A-Za-z]{9}$/.test(idNat)) return { adeli: idNat.slice(1) };
  return {};
}

function activityOf(a: Record<string, unknown>): PscActivity {
  return defined({
    structureId: str(a.identifiantTechniqueDeLaStructure),
    organizationName: str(a.raisonSocialeSite) ?? str(a.enseigneCommercialeSite),
    finessSite: str(a.numeroFinessSite),
    siretSite: str(a.numeroSiretSite),
    modeCode: str(a.codeModeExercice),
    sectorCode: str(a.codeSecteurDactivite),
    roleCode: str(a.codeRole),
    postalCode: str(a.codePostal),
  });
}

function exerciceOf(e: Record<string, unknown>): PscExercice | undefined {
  const professionCode = str(e.codeProfession);
  if (!professionCode) return undefined;
  return defined({
    professionCode,
    categoryCode: str(e.codeCategorieProfessionnelle),
    skillTypeCode: str(e.codeTypeSavoirFaire),
    skillCode: str(e.codeSavoirFaire),
    civilityCode: str(e.codeCiviliteDexercice),
    familyName: str(e.nomDexercice),
    givenName: str(e.prenomDexercice),
    activities: arr(e.activities).map(obj).filter((a) => a !== undefined).map(activityOf),
  });
}

/**
 * Maps PSC's claims (the ID token's and userinfo's, merged) to an identity. Refused when SubjectNameID is
 * missing or not an identifier. Unknown claims are ignored; missing optional ones stay absent.
 */
export function mapPscClaims(claims: Record<string, unknown>): PscMapping {
  const idNat = str(claims.SubjectNameID);
  if (!idNat) return { ok: false, reason: 'SubjectNameID is missing' };
  if (!ID_NAT.test(idNat)) return { ok: false, reason: 'SubjectNameID is not a national identifier' };
  const sub = str(claims.sub);
  if (!sub) return { ok: false, reason: 'sub is missing' };
  const refPro = obj(claims.SubjectRefPro);
  const exercices = arr(refPro?.exercices).map(obj).filter((e) => e !== undefined).map(exerciceOf).filter((e) => e !== undefined);
  return {
    ok: true,
    identity: defined({
      sub,
      idNat,
      ...splitIdNat(idNat),
      givenName: str(claims.given_name) ?? exercices[0]?.givenName,
      familyName: str(claims.family_name) ?? exercices[0]?.familyName,
      civilityCode: str(claims.codeCivilite),
      practiceCivilityCode: exercices.find((e) => e.civilityCode)?.civilityCode,
      exercices,
    }),
  };
}

/** The eIDAS levels PSC may assert, in increasing strength. */
export const EIDAS_LEVELS = ['eidas1', 'eidas2', 'eidas3'] as const;

/** Whether the `acr` an IdP returned is at least the level asked for; a missing or unknown level is not. */
export function acrSatisfies(acr: unknown, required: string): boolean {
  const levels: readonly string[] = EIDAS_LEVELS;
  const got = typeof acr === 'string' ? levels.indexOf(acr) : -1;
  const want = levels.indexOf(required);
  return got >= 0 && want >= 0 && got >= want;
}

// ---------------------------------------------------------------------------------------------------------
// The directory side: practice situations (directory_role rows) and the claims PSC would send for them.

/** A directory_practitioner row, as the sign-in needs it. */
export interface DirectoryPractitioner {
  /** IdNat_PS. */
  id: string;
  civilityCode?: string;
  practiceCivilityCode?: string;
  family: string;
  given: string;
}

/** A directory_role row (a practice situation) with its structure. */
export interface DirectoryRole {
  id: string;
  professionCode: string;
  professionLabel?: string;
  categoryCode?: string;
  skillTypeCode?: string;
  skillCode?: string;
  skillLabel?: string;
  modeCode?: string;
  sectorCode?: string;
  roleCode?: string;
  genreCode?: string;
  organizationId?: string;
  organizationName?: string;
  finessSite?: string;
  siret?: string;
  postalCode?: string;
  city?: string;
  addressLines?: string[];
}

/** A practice situation offered to the professional at sign-in. */
export interface Situation {
  roleId: string;
  professionCode: string;
  professionLabel?: string;
  skillCode?: string;
  skillLabel?: string;
  organizationId?: string;
  organizationName?: string;
  city?: string;
}

export function situationOf(r: DirectoryRole): Situation {
  return defined({
    roleId: r.id,
    professionCode: r.professionCode,
    professionLabel: r.professionLabel,
    skillCode: r.skillCode,
    skillLabel: r.skillLabel,
    organizationId: r.organizationId,
    organizationName: r.organizationName,
    city: r.city,
  });
}

/** Whether PSC named this situation among the professional's activities (same profession and structure). */
function named(r: DirectoryRole, identity: PscIdentity): boolean {
  return identity.exercices.some(
    (e) => e.professionCode === r.professionCode && e.activities.some((a) => a.structureId !== undefined && a.structureId === r.organizationId),
  );
}

/**
 * The professional's situations to choose from: their active directory roles, those PSC's activities name
 * first, each group in the directory's order (by role id), so that the list is stable.
 */
export function situationsFor(roles: readonly DirectoryRole[], identity: PscIdentity): Situation[] {
  const byId = [...roles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...byId.filter((r) => named(r, identity)), ...byId.filter((r) => !named(r, identity))].map(situationOf);
}

/** The session's practice (principal.practice) for a chosen situation. */
export function practiceOf(s: Situation, practitionerId: string): Practice {
  return defined({
    roleId: s.roleId,
    practitionerId,
    professionCode: s.professionCode,
    professionLabel: s.professionLabel,
    skillCode: s.skillCode,
    skillLabel: s.skillLabel,
    organizationId: s.organizationId,
    organizationName: s.organizationName,
  });
}

/** How Carnet names a professional: "Dr Claire Durand" for the DR practice civility, else "Claire Durand". */
export function professionalDisplayName(p: { given: string; family: string; practiceCivilityCode?: string }): string {
  const title = p.practiceCivilityCode?.toUpperCase() === 'DR' ? 'Dr ' : p.practiceCivilityCode?.toUpperCase() === 'PR' ? 'Pr ' : '';
  return `${title}${p.given} ${p.family}`.trim();
}

/**
 * The userinfo (and ID token) claims PSC would send for a professional of the directory, in PSC's shape:
 * one exercice per profession and specialty, with one activity per situation. Used by the demo's test IdP.
 */
export function pscClaimsFromDirectory(p: DirectoryPractitioner, roles: readonly DirectoryRole[]): Record<string, unknown> {
  const exercices = new Map<string, { head: DirectoryRole; activities: DirectoryRole[] }>();
  for (const r of roles) {
    const key = [r.professionCode, r.categoryCode ?? '', r.skillTypeCode ?? '', r.skillCode ?? ''].join('|');
    const e = exercices.get(key) ?? { head: r, activities: [] };
    e.activities.push(r);
    exercices.set(key, e);
  }
  const first = roles[0];
  return {
    sub: p.id,
    SubjectNameID: p.id,
    preferred_username: p.id,
    given_name: p.given,
    family_name: p.family,
    codeCivilite: p.civilityCode ?? '',
    SubjectRefPro: {
      codeCivilite: p.civilityCode ?? '',
      exercices: [...exercices.values()].map(({ head, activities }) => ({
        codeProfession: head.professionCode,
        codeCategorieProfessionnelle: head.categoryCode ?? '',
        codeCiviliteDexercice: p.practiceCivilityCode ?? '',
        nomDexercice: p.family,
        prenomDexercice: p.given,
        codeTypeSavoirFaire: head.skillTypeCode ?? '',
        codeSavoirFaire: head.skillCode ?? '',
        activities: activities.map((a) => ({
          codeModeExercice: a.modeCode ?? '',
          codeSecteurDactivite: a.sectorCode ?? '',
          codeSectionPharmacien: '',
          codeRole: a.roleCode ?? '',
          codeGenreActivite: a.genreCode ?? '',
          numeroSiretSite: a.siret ?? '',
          numeroFinessSite: a.finessSite ?? '',
          identifiantTechniqueDeLaStructure: a.organizationId ?? '',
          raisonSocialeSite: a.organizationName ?? '',
          libelleVoie: a.addressLines?.join(', ') ?? '',
          codePostal: a.postalCode ?? '',
          bureauCedex: [a.postalCode, a.city?.toUpperCase()].filter(Boolean).join(' '),
          codePays: '99000',
        })),
      })),
    },
    ...(first
      ? {
          SubjectOrganization: first.organizationName ?? '',
          SubjectOrganizationID: first.organizationId ?? '',
          SubjectRole: [...new Set(roles.map((r) => `${r.professionCode}^1.2.250.1.213.1.1.5.5`))],
          Secteur_Activite: first.sectorCode ? `${first.sectorCode}^1.2.250.1.71.4.2.4` : '',
        }
      : {}),
    Palier_Authentification: 'APPPRIP3^1.2.250.1.213.1.5.1.1.1',
    Acces_Regulation_Medicale: 'FAUX',
    Mode_Acces_Raison: '',
    PSI_Locale: '1.2.250.1.213.1.3.1.1',
    UITVersion: '1.0',
    otherIds: [{ identifiant: p.id, origine: 'RPPS', qualite: 1 }],
  };
}
