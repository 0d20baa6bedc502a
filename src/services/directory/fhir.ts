import type { Queryable } from '../../db/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { SYSTEMS, civilityPrefix } from '../../domain/directory/index.js';
import { notFound } from '../../errors.js';
import { canonicalJson } from '../../fhir/json.js';
import { makeContext, type Repository } from '../../repo/index.js';

/**
 * The directory as FHIR R4 resources (FR Core style), built from the directory tables: a professional is a
 * Practitioner (id = IdNat_PS), each practice situation a PractitionerRole (id = the role id), each structure
 * an Organization (id = the structure's technical id). `materializePractitioner` writes them into the FHIR
 * store, so that references such as `Practitioner/810001234567` resolve; only what changed is written.
 */
type Json = Record<string, unknown>;

export interface PractitionerResources {
  practitioner: Json;
  /** Every known situation of the professional, inactive ones included (active: false). */
  roles: Json[];
  organizations: Json[];
}

const type = (code: string) => ({ coding: [{ system: SYSTEMS.identifierType, code }] });

interface PractitionerRow {
  id: string;
  id_type: string;
  identifier: string;
  civility_code: string | null;
  practice_civility_code: string | null;
  family: string;
  given: string;
  active: boolean;
}

interface RoleRow {
  id: string;
  organization_id: string | null;
  profession_code: string;
  profession_label: string | null;
  category_code: string | null;
  skill_type_code: string | null;
  skill_code: string | null;
  skill_label: string | null;
  mode_label: string | null;
  active: boolean;
}

interface OrganizationRow {
  id: string;
  siret: string | null;
  siren: string | null;
  finess_site: string | null;
  finess_ej: string | null;
  name: string;
  trade_name: string | null;
  address_lines: string[] | null;
  postal_code: string | null;
  city: string | null;
  country_code: string | null;
  phone: string | null;
  email: string | null;
  sector_code: string | null;
  sector_label: string | null;
  active: boolean;
}

function practitionerResource(p: PractitionerRow, roles: RoleRow[], mailboxes: string[]): Json {
  const identifier: Json[] = [{ use: 'official', type: type('IDNPS'), system: SYSTEMS.idNatPs, value: p.id }];
  if (p.id_type === '8') identifier.push({ use: 'official', type: type('RPPS'), system: SYSTEMS.rpps, value: p.identifier });
  else if (p.id_type === '0') identifier.push({ use: 'official', type: type('ADELI'), system: SYSTEMS.adeli, value: p.identifier });
  const prefix = civilityPrefix(p.practice_civility_code, p.civility_code);
  const professions = new Map<string, string | null>();
  for (const r of roles) if (r.active && !professions.has(r.profession_code)) professions.set(r.profession_code, r.profession_label);
  const gender = p.civility_code === 'M' ? 'male' : p.civility_code === 'MME' || p.civility_code === 'MLLE' ? 'female' : undefined;
  return {
    resourceType: 'Practitioner',
    id: p.id,
    identifier,
    active: p.active,
    name: [{ use: 'official', family: p.family, ...(p.given ? { given: [p.given] } : {}), ...(prefix ? { prefix: [prefix] } : {}) }],
    ...(mailboxes.length ? { telecom: mailboxes.map((m) => ({ system: 'email', value: m, use: 'work' })) } : {}),
    ...(gender ? { gender } : {}),
    ...(professions.size
      ? { qualification: [...professions].map(([code, label]) => ({ code: { coding: [{ system: SYSTEMS.profession, code, ...(label ? { display: label } : {}) }] } })) }
      : {}),
  };
}

function roleResource(r: RoleRow, p: PractitionerRow, organizationName: string | undefined, mailboxes: string[]): Json {
  const prefix = civilityPrefix(p.practice_civility_code, null);
  const specialty =
    r.skill_code || r.skill_label
      ? [
          {
            // spécialités ordinales (type S) are TRE_R38; other savoir-faire are given by their label only
            ...(r.skill_code && r.skill_type_code === 'S'
              ? { coding: [{ system: SYSTEMS.specialty, code: r.skill_code, ...(r.skill_label ? { display: r.skill_label } : {}) }] }
              : {}),
            text: r.skill_label ?? r.skill_code!,
          },
        ]
      : undefined;
  return {
    resourceType: 'PractitionerRole',
    id: r.id,
    active: r.active,
    practitioner: { reference: `Practitioner/${p.id}`, display: [prefix, p.given, p.family].filter(Boolean).join(' ') },
    ...(r.organization_id
      ? { organization: { reference: `Organization/${r.organization_id}`, ...(organizationName ? { display: organizationName } : {}) } }
      : {}),
    code: [
      {
        coding: [{ system: SYSTEMS.profession, code: r.profession_code, ...(r.profession_label ? { display: r.profession_label } : {}) }],
        ...(r.mode_label ? { text: `${r.profession_label ?? r.profession_code} (${r.mode_label.split(',')[0]!.toLowerCase()})` } : {}),
      },
    ],
    ...(specialty ? { specialty } : {}),
    ...(mailboxes.length ? { telecom: mailboxes.map((m) => ({ system: 'email', value: m, use: 'work' })) } : {}),
  };
}

function organizationResource(o: OrganizationRow): Json {
  const identifier: Json[] = [];
  if (o.finess_site) identifier.push({ use: 'official', type: type('FINEG'), system: SYSTEMS.finess, value: o.finess_site });
  if (o.finess_ej) identifier.push({ use: 'official', type: type('FINEJ'), system: SYSTEMS.finess, value: o.finess_ej });
  if (o.siret) identifier.push({ use: 'official', type: type('SIRET'), system: SYSTEMS.siret, value: o.siret });
  if (o.siren) identifier.push({ use: 'official', type: type('SIREN'), system: SYSTEMS.siren, value: o.siren });
  const lines = o.address_lines ?? [];
  const hasAddress = lines.length > 0 || o.postal_code || o.city;
  const telecom = [
    ...(o.phone ? [{ system: 'phone', value: o.phone, use: 'work' }] : []),
    ...(o.email ? [{ system: 'email', value: o.email, use: 'work' }] : []),
  ];
  return {
    resourceType: 'Organization',
    id: o.id,
    ...(identifier.length ? { identifier } : {}),
    active: o.active,
    ...(o.sector_code ? { type: [{ coding: [{ system: SYSTEMS.sector, code: o.sector_code, ...(o.sector_label ? { display: o.sector_label } : {}) }] }] } : {}),
    // an Organization needs a name or an identifier (org-1)
    ...(o.name || identifier.length === 0 ? { name: o.name || `Structure ${o.id}` } : {}),
    ...(o.trade_name && o.trade_name !== o.name ? { alias: [o.trade_name] } : {}),
    ...(telecom.length ? { telecom } : {}),
    ...(hasAddress
      ? {
          address: [
            {
              use: 'work',
              ...(lines.length ? { line: lines } : {}),
              ...(o.city ? { city: o.city } : {}),
              ...(o.postal_code ? { postalCode: o.postal_code } : {}),
              ...(!o.country_code || o.country_code === '99100' ? { country: 'FR' } : {}),
            },
          ],
        }
      : {}),
  };
}

/** The professional's FHIR resources, built from the directory; undefined when the directory does not know them. */
export async function practitionerResources(db: Queryable, practitionerId: string): Promise<PractitionerResources | undefined> {
  const { rows: practitioners } = await db.query<PractitionerRow>(
    'SELECT id, id_type, identifier, civility_code, practice_civility_code, family, given, active FROM directory_practitioner WHERE id = $1',
    [practitionerId],
  );
  const p = practitioners[0];
  if (!p) return undefined;
  const [{ rows: roles }, { rows: mailboxRows }] = await Promise.all([
    db.query<RoleRow>(
      `SELECT id, organization_id, profession_code, profession_label, category_code, skill_type_code, skill_code, skill_label, mode_label, active
         FROM directory_role WHERE practitioner_id = $1 ORDER BY id`,
      [practitionerId],
    ),
    db.query<{ address: string }>(
      `SELECT address FROM directory_mailbox WHERE practitioner_id = $1 AND kind = 'PER' AND active ORDER BY address`,
      [practitionerId],
    ),
  ]);
  const orgIds = [...new Set(roles.map((r) => r.organization_id).filter((id): id is string => id !== null))];
  const { rows: orgs } = orgIds.length
    ? await db.query<OrganizationRow>(
        `SELECT id, siret, siren, finess_site, finess_ej, name, trade_name, address_lines, postal_code, city, country_code, phone, email,
                sector_code, sector_label, active
           FROM directory_organization WHERE id = ANY($1::text[]) ORDER BY id`,
        [orgIds],
      )
    : { rows: [] as OrganizationRow[] };
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const mailboxes = mailboxRows.map((m) => m.address);
  return {
    practitioner: practitionerResource(p, roles, mailboxes),
    roles: roles.map((r) => roleResource(r, p, names.get(r.organization_id ?? '') || undefined, mailboxes)),
    organizations: orgs.map(organizationResource),
  };
}

/**
 * Writes the professional's Practitioner, PractitionerRoles and Organizations into the FHIR store, as Carnet
 * itself, each only when it differs from the stored version (meta aside). Returns how many were written.
 * 404 when the directory does not know the professional.
 */
export async function materializePractitioner(repo: Repository, db: Queryable, practitionerId: string): Promise<number> {
  const resources = await practitionerResources(db, practitionerId);
  if (!resources) throw notFound(`The directory has no professional ${practitionerId}`).withCode('directory.not-found');
  const all = [...resources.organizations, resources.practitioner, ...resources.roles];
  const { rows } = await db.query<{ resource_type: string; id: string; content: string | null }>(
    `SELECT resource_type, id, CASE WHEN deleted THEN NULL ELSE content::text END AS content
       FROM shared_resource WHERE (resource_type, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [all.map((r) => r.resourceType), all.map((r) => r.id)],
  );
  const stored = new Map(rows.map((r) => [`${r.resource_type}/${r.id}`, r.content]));
  const ctx = makeContext(SYSTEM);
  let written = 0;
  for (const resource of all) {
    const current = stored.get(`${resource.resourceType}/${resource.id}`);
    if (current) {
      const { meta: _meta, ...rest } = JSON.parse(current) as Json;
      if (canonicalJson(rest) === canonicalJson(resource)) continue;
    }
    await repo.update(ctx, resource);
    written++;
  }
  return written;
}
