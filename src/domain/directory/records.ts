import { createHash } from 'node:crypto';
import { normalizeString } from '../../fhir/search/values.js';
import { hasValidLuhn } from './luhn.js';
import { FHIR_ID, professionLabel } from './codes.js';
import { splitFields, type ActivityColumns, type MailboxColumns } from './columns.js';

/**
 * A line of the extracts as the rows Carnet stores (migration 0005): a line of PS_LibreAcces_Personne_activite
 * gives a professional, the structure where they practise (when there is one) and the practice situation
 * (a role); a line of Extraction_Correspondance_MSSante gives a mailbox. Empty fields are null.
 */
export interface PractitionerRecord {
  /** Identification nationale PP (IdNat_PS). */
  id: string;
  /** '8' RPPS, '0' ADELI. */
  idType: string;
  identifier: string;
  civilityCode: string | null;
  practiceCivilityCode: string | null;
  family: string;
  given: string;
}

export interface OrganizationRecord {
  id: string;
  siret: string | null;
  siren: string | null;
  finessSite: string | null;
  finessEj: string | null;
  name: string;
  tradeName: string | null;
  addressLines: string[];
  postalCode: string | null;
  cityCode: string | null;
  city: string | null;
  countryCode: string | null;
  phone: string | null;
  email: string | null;
  departmentCode: string | null;
  sectorCode: string | null;
  sectorLabel: string | null;
}

export interface RoleRecord {
  id: string;
  practitionerId: string;
  organizationId: string | null;
  professionCode: string;
  professionLabel: string | null;
  categoryCode: string | null;
  categoryLabel: string | null;
  skillTypeCode: string | null;
  skillTypeLabel: string | null;
  skillCode: string | null;
  skillLabel: string | null;
  modeCode: string | null;
  modeLabel: string | null;
  sectorCode: string | null;
  sectorLabel: string | null;
  pharmacistSectionCode: string | null;
  pharmacistSectionLabel: string | null;
  roleCode: string | null;
  roleLabel: string | null;
  genreCode: string | null;
  genreLabel: string | null;
  registrationAuthority: string | null;
  familyKey: string;
  givenKey: string;
  cityKey: string;
  postalCode: string | null;
}

export interface MailboxRecord {
  address: string;
  kind: string;
  practitionerId: string | null;
  organizationIdType: string | null;
  organizationId: string | null;
  service: string | null;
  professionCode: string | null;
  skillCode: string | null;
  dematerialisation: string | null;
  organizationName: string | null;
  postalCode: string | null;
  cityLine: string | null;
}

export type ActivityResult =
  | { ok: true; practitioner: PractitionerRecord; organization: OrganizationRecord | undefined; role: RoleRecord }
  | { ok: false; reason: string };

export type MailboxResult = { ok: true; mailbox: MailboxRecord } | { ok: false; reason: string };

/**
 * The key names and cities are searched by: accents, case, hyphens and apostrophes ignored
 * ("Saint-Étienne" → "saint etienne", "D'Almeida" → "d almeida"). Queries go through the same function.
 */
export function searchKey(value: string): string {
  return normalizeString(value.replace(/[-'’‐‑]/g, ' '));
}

/**
 * The identifier checks shared by both files: the type (8 RPPS, 0 ADELI), the number (RPPS: 11 digits with
 * a valid Luhn key; ADELI: 9 characters), and the national identifier, which must be the type followed by
 * the number. Returns the reason for a rejection, or undefined.
 */
export function identifierError(idType: string, identifier: string, idnat: string): string | undefined {
  if (idType === '8') {
    if (!/^\d{11}$/.test(identifier) || !hasValidLuhn(identifier)) {
      return `malformed RPPS '${identifier}': 11 digits with a valid Luhn key expected`;
    }
  } else if (idType === '0') {
    if (!/^[0-9A-Za-z]{9}$/.test(identifier)) return `malformed ADELI '${identifier}': 9 characters expected`;
  } else {
    return `unknown identifier type '${idType}' (8 for RPPS or 0 for ADELI expected)`;
  }
  if (idnat !== idType + identifier) {
    return `Identification nationale PP '${idnat}' is not the identifier type followed by the identifier ('${idType}${identifier}' expected)`;
  }
  return undefined;
}

/**
 * The id of a structure: the "Identifiant technique de la structure" when it is a valid FHIR id (a hash of it
 * otherwise); without one, 'F' + the FINESS site or 'S' + the SIRET site; none when the line has no structure.
 */
export function organizationIdOf(structureId: string, finessSite: string, siret: string): string | undefined {
  if (structureId !== '') return FHIR_ID.test(structureId) ? structureId : `X${createHash('sha1').update(structureId).digest('hex').slice(0, 24)}`;
  if (finessSite !== '') return FHIR_ID.test(`F${finessSite}`) ? `F${finessSite}` : `X${createHash('sha1').update(`F${finessSite}`).digest('hex').slice(0, 24)}`;
  if (siret !== '') return FHIR_ID.test(`S${siret}`) ? `S${siret}` : `X${createHash('sha1').update(`S${siret}`).digest('hex').slice(0, 24)}`;
  return undefined;
}

/**
 * The id of a practice situation, stable across extracts: the national identifier, '-', and a hash of the
 * columns that tell one situation from another (profession, category, savoir-faire, mode, structure, FINESS
 * and SIRET site, role, genre). A line repeated identically is the same role; ids of one person sort together.
 */
export function roleIdOf(parts: {
  idnat: string;
  professionCode: string;
  categoryCode: string;
  skillTypeCode: string;
  skillCode: string;
  modeCode: string;
  structureId: string;
  finessSite: string;
  siret: string;
  roleCode: string;
  genreCode: string;
}): string {
  const key = [
    parts.professionCode,
    parts.categoryCode,
    parts.skillTypeCode,
    parts.skillCode,
    parts.modeCode,
    parts.structureId,
    parts.finessSite,
    parts.siret,
    parts.roleCode,
    parts.genreCode,
  ].join('|');
  return `${parts.idnat}-${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;
}

const orNull = (s: string): string | null => (s === '' ? null : s);

/** Validates and maps one line of PS_LibreAcces_Personne_activite. */
export function mapActivityLine(line: string, columns: ActivityColumns): ActivityResult {
  const split = splitFields(line, columns.fields);
  if (!split.ok) return split;
  const fields = split.fields;
  const ix = columns.index;
  const get = (i: number): string => (i < 0 ? '' : fields[i]!.trim());

  const idType = get(ix.idType);
  const identifier = get(ix.identifier);
  const idnat = get(ix.idnat);
  const idError = identifierError(idType, identifier, idnat);
  if (idError) return { ok: false, reason: idError };
  const family = get(ix.family);
  if (family === '') return { ok: false, reason: "missing name (Nom d'exercice)" };
  const professionCode = get(ix.professionCode);
  if (professionCode === '') return { ok: false, reason: 'missing profession code (Code profession)' };

  const given = get(ix.given);
  const structureId = get(ix.structureId);
  const finessSite = get(ix.finessSite);
  const siret = get(ix.siret);
  const organizationId = organizationIdOf(structureId, finessSite, siret);
  let organization: OrganizationRecord | undefined;
  const city = get(ix.city);
  const postalCode = get(ix.postalCode);
  const sectorCode = orNull(get(ix.sectorCode));
  const sectorLabel = orNull(get(ix.sectorLabel));
  if (organizationId) {
    const name = get(ix.name);
    const tradeName = get(ix.tradeName);
    const street = [get(ix.streetNumber), get(ix.streetIndex), get(ix.streetTypeLabel) || get(ix.streetTypeCode), get(ix.streetName)]
      .filter((s) => s !== '')
      .join(' ');
    const addressLines = [get(ix.recipientComplement), get(ix.geoComplement), street, get(ix.distribution)].filter((s) => s !== '');
    organization = {
      id: organizationId,
      siret: orNull(siret),
      siren: orNull(get(ix.siren)),
      finessSite: orNull(finessSite),
      finessEj: orNull(get(ix.finessEj)),
      name: name || tradeName,
      tradeName: orNull(tradeName),
      addressLines,
      postalCode: orNull(postalCode),
      cityCode: orNull(get(ix.cityCode)),
      city: orNull(city),
      countryCode: orNull(get(ix.countryCode)),
      phone: orNull(get(ix.phone)),
      email: orNull(get(ix.email)),
      departmentCode: orNull(get(ix.departmentCode)),
      sectorCode,
      sectorLabel,
    };
  }
  const categoryCode = get(ix.categoryCode);
  const skillTypeCode = get(ix.skillTypeCode);
  const skillCode = get(ix.skillCode);
  const modeCode = get(ix.modeCode);
  const roleCode = get(ix.roleCode);
  const genreCode = get(ix.genreCode);
  const role: RoleRecord = {
    id: roleIdOf({ idnat, professionCode, categoryCode, skillTypeCode, skillCode, modeCode, structureId, finessSite, siret, roleCode, genreCode }),
    practitionerId: idnat,
    organizationId: organizationId ?? null,
    professionCode,
    professionLabel: orNull(get(ix.professionLabel)) ?? professionLabel(professionCode) ?? null,
    categoryCode: orNull(categoryCode),
    categoryLabel: orNull(get(ix.categoryLabel)),
    skillTypeCode: orNull(skillTypeCode),
    skillTypeLabel: orNull(get(ix.skillTypeLabel)),
    skillCode: orNull(skillCode),
    skillLabel: orNull(get(ix.skillLabel)),
    modeCode: orNull(modeCode),
    modeLabel: orNull(get(ix.modeLabel)),
    sectorCode,
    sectorLabel,
    pharmacistSectionCode: orNull(get(ix.pharmacistSectionCode)),
    pharmacistSectionLabel: orNull(get(ix.pharmacistSectionLabel)),
    roleCode: orNull(roleCode),
    roleLabel: orNull(get(ix.roleLabel)),
    genreCode: orNull(genreCode),
    genreLabel: orNull(get(ix.genreLabel)),
    registrationAuthority: orNull(get(ix.registrationAuthority)),
    familyKey: searchKey(family),
    givenKey: searchKey(given),
    cityKey: organization ? searchKey(city) : '',
    postalCode: organization ? orNull(postalCode) : null,
  };
  return {
    ok: true,
    practitioner: {
      id: idnat,
      idType,
      identifier,
      civilityCode: orNull(get(ix.civilityCode)),
      practiceCivilityCode: orNull(get(ix.practiceCivilityCode)),
      family,
      given,
    },
    organization,
    role,
  };
}

/** Validates and maps one line of Extraction_Correspondance_MSSante. */
export function mapMailboxLine(line: string, columns: MailboxColumns): MailboxResult {
  const split = splitFields(line, columns.fields);
  if (!split.ok) return split;
  const fields = split.fields;
  const ix = columns.index;
  const get = (i: number): string => (i < 0 ? '' : fields[i]!.trim());

  const address = get(ix.address);
  if (!/^[^\s@|]+@[^\s@|]+\.[^\s@|]+$/.test(address)) return { ok: false, reason: `malformed mailbox address '${address}'` };
  const kind = get(ix.kind).toUpperCase();
  if (!/^[A-Z]{3}$/.test(kind)) return { ok: false, reason: `unknown mailbox type '${get(ix.kind)}' (PER or ORG expected)` };
  const idType = get(ix.idType);
  const identifier = get(ix.identifier);
  const idnat = get(ix.idnat);
  if (kind === 'PER' && idnat === '') return { ok: false, reason: 'personal mailbox (PER) without Identification nationale PP' };
  // RPPS and ADELI are checked as in the activity file; other types (hospital staff numbers...) are kept as published
  if (idnat !== '' && (idType === '8' || idType === '0')) {
    const idError = identifierError(idType, identifier, idnat);
    if (idError) return { ok: false, reason: idError };
  }
  return {
    ok: true,
    mailbox: {
      address,
      kind,
      practitionerId: orNull(idnat),
      organizationIdType: orNull(get(ix.organizationIdType)),
      organizationId: orNull(get(ix.organizationId)),
      service: orNull(get(ix.service)),
      professionCode: orNull(get(ix.professionCode)),
      skillCode: orNull(get(ix.skillCode)),
      dematerialisation: orNull(get(ix.dematerialisation)),
      organizationName: orNull(get(ix.organizationName)) ?? orNull(get(ix.organizationTradeName)),
      postalCode: orNull(get(ix.postalCode)),
      cityLine: orNull(get(ix.cityLine)),
    },
  };
}
