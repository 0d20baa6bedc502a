-- The medical profile, measures and agenda (docs/profile.md). The profile itself (sections, measures, targets,
-- appointments) is FHIR, in the patient's compartment; these tables hold what is not health data about the
-- patient (their settings, calendar links, reminders to send) and the reference data (drugs, vaccines).

-- One row per patient record: what the patient closed to professionals and chose to see.
CREATE TABLE profile_settings (
  patient_id            text        PRIMARY KEY,
  -- the closable sections of the profile ('health-history', 'entourage') closed to professionals
  closed_sections       text[]      NOT NULL DEFAULT '{}',
  -- the measure codes of the dashboard, in order (WEIGHT, BLOOD_PRESSURE...); null: the default tiles
  dashboard             text[],
  -- how long before an appointment or reminder the patient is notified, in minutes
  reminder_minutes      integer     NOT NULL DEFAULT 1440 CHECK (reminder_minutes BETWEEN 0 AND 20160),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Private iCalendar feed URLs of a patient's agenda: the token is given once, only its hash is kept.
CREATE TABLE agenda_feed (
  id          uuid        PRIMARY KEY,
  patient_id  text        NOT NULL,
  -- the account that created the link: the feed is read with its rights (and audited as its reads)
  user_id     uuid        NOT NULL,
  token_hash  text        NOT NULL UNIQUE,
  label       text        NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX agenda_feed_by_patient ON agenda_feed (patient_id);

-- The reminders to send: one row per appointment or reminder of the agenda (Appointment id), kept in step with
-- it by every write, whether from the web app or from /fhir (a connected app).
CREATE TABLE agenda_reminder (
  appointment_id text        PRIMARY KEY,
  patient_id     text        NOT NULL,
  starts_at      timestamptz NOT NULL,
  -- when the notification is due (starts_at minus the patient's delay); null once sent or when not to send
  due_at         timestamptz,
  sent_at        timestamptz
);
CREATE INDEX agenda_reminder_due ON agenda_reminder (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX agenda_reminder_by_patient ON agenda_reminder (patient_id);

-- Reference datasets and their provenance (shown to the operator, who may load a newer file).
CREATE TABLE reference_dataset (
  id          text        PRIMARY KEY,   -- 'bdpm', 'vaccines'
  source      text        NOT NULL,
  version     text        NOT NULL,      -- the date of the file, as its publisher gives it
  loaded_at   timestamptz NOT NULL,
  loaded_by   text        NOT NULL,      -- 'carnet' (shipped extract), or the operator's login
  row_count   integer     NOT NULL
);

-- The public drug database (BDPM): products (CIS) and their presentations (CIP13).
CREATE TABLE drug_product (
  cis          text        PRIMARY KEY,
  name         text        NOT NULL,
  -- the name folded to lower case without accents, for prefix and word search
  search_name  text        NOT NULL,
  form         text        NOT NULL DEFAULT '',
  routes       text        NOT NULL DEFAULT '',
  marketed     boolean     NOT NULL,
  holder       text        NOT NULL DEFAULT ''
);
CREATE INDEX drug_product_search ON drug_product (search_name text_pattern_ops);

CREATE TABLE drug_presentation (
  cip13        text        PRIMARY KEY,
  cip7         text        NOT NULL,
  cis          text        NOT NULL,
  label        text        NOT NULL,
  marketed     boolean     NOT NULL
);
CREATE INDEX drug_presentation_by_cis ON drug_presentation (cis);
CREATE INDEX drug_presentation_by_cip7 ON drug_presentation (cip7);

-- The vaccine reference list (vaccinesRef): what a vaccination is recorded against.
CREATE TABLE vaccine_ref (
  id            text        PRIMARY KEY,
  label         text        NOT NULL,
  cis           text,
  cip13         text[]      NOT NULL DEFAULT '{}',
  atc_code      text        NOT NULL,
  atc_label     text        NOT NULL DEFAULT '',
  -- the diseases it protects against (labels in French)
  diseases      text[]      NOT NULL DEFAULT '{}',
  marketed_from date,
  marketed_to   date
);

-- Where the reminder job is in the Appointment history (appointments written through /fhir by connected apps
-- are picked up from it): one row, shared by every node.
CREATE TABLE agenda_sync_cursor (
  singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  read_to   timestamptz NOT NULL
);
