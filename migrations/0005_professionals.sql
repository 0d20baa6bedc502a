-- Professionals: the national directory (Annuaire Santé open-data extracts), professional sign-in, and the
-- patient's control over professionals (their list, roles, blocking, consent). See docs/professionals.md.
--
-- The directory is reference data loaded from the national extract (about 2 million lines): narrow tables,
-- written by set-based upserts, searched by normalised name and city prefixes. Citus: reference tables.

-- One professional (a person), keyed by their national identifier (IdNat_PS: '8' + RPPS, '0' + ADELI).
CREATE TABLE directory_practitioner (
  id                     text        PRIMARY KEY,  -- Identification nationale PP (IdNat_PS)
  id_type                text        NOT NULL,     -- '8' RPPS, '0' ADELI
  identifier             text        NOT NULL,     -- the RPPS (11 digits) or ADELI (9 characters) number
  civility_code          text,                     -- M, MME
  practice_civility_code text,                     -- DR, PR...
  family                 text        NOT NULL,     -- Nom d'exercice
  given                  text        NOT NULL,     -- Prénom d'exercice
  active                 boolean     NOT NULL DEFAULT true,
  updated_at             timestamptz NOT NULL
);

-- A structure where professionals practise (site), keyed by its technical identifier in the extract.
CREATE TABLE directory_organization (
  id              text        PRIMARY KEY,  -- Identifiant technique de la structure
  siret           text,
  siren           text,
  finess_site     text,
  finess_ej       text,
  name            text        NOT NULL,     -- Raison sociale site (or the trade name when absent)
  trade_name      text,                     -- Enseigne commerciale site
  address_lines   text[]      NOT NULL DEFAULT '{}',
  postal_code     text,
  city_code       text,                     -- INSEE COG
  city            text,
  country_code    text,
  phone           text,
  email           text,
  department_code text,
  sector_code     text,                     -- TRE_R02 (SA07...)
  sector_label    text,
  active          boolean     NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL
);

-- One practice situation: a line of PS_LibreAcces_Personne_activite (professional x activity x site).
-- Coded values are kept as (code, label) pairs as published. The name and city keys are normalised (lower
-- case, no accents) copies for prefix search, denormalised here so that a search reads one table.
CREATE TABLE directory_role (
  id                      text        PRIMARY KEY,   -- derived from the line's identifying columns
  practitioner_id         text        NOT NULL,      -- directory_practitioner.id
  organization_id         text,                      -- directory_organization.id
  profession_code         text        NOT NULL,      -- TRE_G15
  profession_label        text,
  category_code           text,                      -- TRE_R09
  category_label          text,
  skill_type_code         text,                      -- type savoir-faire (S: spécialité ordinale...)
  skill_type_label        text,
  skill_code              text,                      -- savoir-faire (TRE_R38 SMxx...)
  skill_label             text,
  mode_code               text,                      -- TRE_R23 (L, S, B)
  mode_label              text,
  sector_code             text,                      -- TRE_R02
  sector_label            text,
  pharmacist_section_code text,
  pharmacist_section_label text,
  role_code               text,
  role_label              text,
  genre_code              text,
  genre_label             text,
  registration_authority  text,
  family_key              text        NOT NULL,
  given_key               text        NOT NULL,
  city_key                text        NOT NULL DEFAULT '',
  postal_code             text,
  active                  boolean     NOT NULL DEFAULT true,
  updated_at              timestamptz NOT NULL
);
CREATE INDEX directory_role_by_practitioner ON directory_role (practitioner_id);
CREATE INDEX directory_role_by_name ON directory_role (family_key text_pattern_ops, given_key text_pattern_ops) WHERE active;
CREATE INDEX directory_role_by_given ON directory_role (given_key text_pattern_ops) WHERE active;
CREATE INDEX directory_role_by_city ON directory_role (city_key text_pattern_ops) WHERE active;
CREATE INDEX directory_role_by_postal_code ON directory_role (postal_code) WHERE active;

-- The MSSanté mailboxes (Extraction_Correspondance_MSSante): the address is the only key.
CREATE TABLE directory_mailbox (
  address                text        PRIMARY KEY,
  kind                   text        NOT NULL,     -- PER (personal), ORG (organisational)
  practitioner_id        text,                     -- IdNat_PS for personal mailboxes
  organization_id_type   text,
  organization_id        text,
  service                text,
  profession_code        text,
  skill_code             text,
  dematerialisation      text,
  organization_name      text,
  postal_code            text,
  city_line              text,
  active                 boolean     NOT NULL DEFAULT true,
  updated_at             timestamptz NOT NULL
);
CREATE INDEX directory_mailbox_by_practitioner ON directory_mailbox (practitioner_id) WHERE practitioner_id IS NOT NULL;

-- The imports of directory files, with their report.
CREATE TABLE directory_import (
  id          uuid        PRIMARY KEY,
  kind        text        NOT NULL,   -- 'activities' (PS_LibreAcces_Personne_activite), 'mailboxes'
  file_name   text        NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  status      text        NOT NULL,   -- running, done, failed
  report      jsonb       NOT NULL DEFAULT '{}'
);

-- The ids an import saw, so that a full extract deactivates what it no longer lists (emptied after use).
CREATE UNLOGGED TABLE directory_seen (
  import_id uuid NOT NULL,
  kind      text NOT NULL,   -- practitioner, organization, role, mailbox
  id        text NOT NULL
);
CREATE INDEX directory_seen_by_import ON directory_seen (import_id, kind, id);

-- A professional's account is found by their national identifier at each sign-in.
CREATE INDEX app_user_by_practitioner ON app_user (practitioner_id) WHERE practitioner_id IS NOT NULL;

-- A signed-in professional's practice situation, per session (app_session.id = the grant id).
ALTER TABLE app_session ADD COLUMN practice jsonb;

-- Professional sign-ins in progress at the external IdP (state, nonce and PKCE verifier of each attempt).
CREATE TABLE pro_login (
  state          text        PRIMARY KEY,
  interaction_id text        NOT NULL,
  nonce          text        NOT NULL,
  code_verifier  text        NOT NULL,
  created_at     timestamptz NOT NULL,
  -- after the IdP answered: who signed in, and the situations to choose from
  user_id        uuid,
  situations     jsonb
);
CREATE INDEX pro_login_by_interaction ON pro_login (interaction_id);

-- The professionals of a patient (L1111-19): who the patient added, the roles given, the administrator,
-- blocks, consent recorded and care-team membership declared. Patient-scoped (Citus: distributed on patient_id).
CREATE TABLE care_relation (
  patient_id          text        NOT NULL,
  practitioner_id     text        NOT NULL,   -- IdNat_PS
  added_at            timestamptz NOT NULL,
  added_by            text        NOT NULL,   -- 'patient', 'consent', 'care-team'
  in_list             boolean     NOT NULL DEFAULT true,   -- shown in the patient's list (false once removed)
  medecin_traitant    boolean     NOT NULL DEFAULT false,
  sage_femme          boolean     NOT NULL DEFAULT false,
  pharmacien          boolean     NOT NULL DEFAULT false,
  administrator       boolean     NOT NULL DEFAULT false,
  blocked_at          timestamptz,
  care_team_since     timestamptz,
  care_team_consent   text,                   -- Consent/<id> declaring the membership
  consent_at          timestamptz,
  consent_id          text,                   -- Consent/<id> recording the patient's consent
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (patient_id, practitioner_id)
);
CREATE UNIQUE INDEX care_relation_one_medecin_traitant ON care_relation (patient_id) WHERE medecin_traitant;
CREATE UNIQUE INDEX care_relation_one_sage_femme ON care_relation (patient_id) WHERE sage_femme;
CREATE UNIQUE INDEX care_relation_one_pharmacien ON care_relation (patient_id) WHERE pharmacien;
CREATE INDEX care_relation_by_practitioner ON care_relation (practitioner_id);

-- Every change to a care relation, dated: the history the patient sees.
CREATE TABLE care_relation_event (
  patient_id      text        NOT NULL,
  practitioner_id text        NOT NULL,
  at              timestamptz NOT NULL,
  id              uuid        NOT NULL,
  change          text        NOT NULL,   -- added, removed, role-set, role-removed, administrator-set, administrator-removed, blocked, unblocked, consent, care-team
  detail          text,                   -- the role concerned
  by_user         uuid,
  PRIMARY KEY (patient_id, practitioner_id, at, id)
);
