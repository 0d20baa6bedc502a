-- Patients' accounts: the insured population, the profile lifecycle, codes, sign-in, delegations,
-- notifications, outgoing mail and the embedded OpenID Provider's storage. Administrative data, not health
-- data: none of these tables holds clinical content. Every table that belongs to one person is keyed or
-- indexed by that person, and no constraint spans two people (Citus-ready, see docs/deployment.md).

-- One insured person, from the insurers' population files. Keyed by a UUID that is also the id of their
-- Patient resource once the profile opens (Patient/<id>).
CREATE TABLE insured (
  id               uuid        PRIMARY KEY,
  nir              text        NOT NULL UNIQUE,   -- matricule INS, 15 characters
  ins_oid          text        NOT NULL,
  birth_name       text        NOT NULL,
  first_given_name text        NOT NULL,
  given_names      text        NOT NULL,          -- space-separated, civil-registry order
  used_name        text,
  birth_date       date        NOT NULL,
  sex              text        NOT NULL CHECK (sex IN ('M', 'F', 'I')),
  birth_place      text        NOT NULL,          -- INSEE COG code
  vitale_serial    text,                          -- carte Vitale serial number (ouvrants droit)
  email            text,
  phone            text,
  address          jsonb,                         -- {line, postalCode, city}
  -- the NIR of the person whose insurance covers this one (a child's parent), null for an ouvrant droit
  covered_by_nir   text,
  state            text        NOT NULL CHECK (state IN ('imported', 'notified', 'opposed', 'open', 'active',
                                                         'suspended', 'closed', 'deleted')),
  state_since      timestamptz NOT NULL,
  -- the deadline the state is waiting for: opening (notified), automatic closure (suspended), deletion
  -- of the data (closed with a deletion request, or 10 years of archive)
  due_at           timestamptz,
  notice_channel   text        CHECK (notice_channel IN ('email', 'letter')),
  notified_at      timestamptz,
  letter_printed_at timestamptz,
  objection_channel text       CHECK (objection_channel IN ('online', 'phone')),
  objection_ref    text        UNIQUE,
  delete_requested boolean     NOT NULL DEFAULT false,
  import_id        uuid,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX insured_due ON insured (state, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX insured_covered_by ON insured (covered_by_nir) WHERE covered_by_nir IS NOT NULL;
-- the children, by birth date: the majority sweep
CREATE INDEX insured_children_birth ON insured (birth_date) WHERE covered_by_nir IS NOT NULL;
CREATE INDEX insured_letters ON insured (import_id) WHERE notice_channel = 'letter' AND letter_printed_at IS NULL;

-- Every lifecycle transition of a profile (who, when, from, to, why): the administrative audit trail.
CREATE TABLE insured_event (
  insured_id uuid        NOT NULL,
  at         timestamptz NOT NULL,
  from_state text,
  to_state   text        NOT NULL,
  actor      text        NOT NULL,   -- 'carnet', 'user:<uuid>', 'import:<uuid>'
  reason     text,
  PRIMARY KEY (insured_id, at, to_state)
);

-- A population file import and its report.
CREATE TABLE population_import (
  id          uuid        PRIMARY KEY,
  file_name   text        NOT NULL,
  actor       text        NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  rows_total  integer     NOT NULL DEFAULT 0,
  created     integer     NOT NULL DEFAULT 0,
  updated     integer     NOT NULL DEFAULT 0,
  failed      integer     NOT NULL DEFAULT 0,
  errors      jsonb       NOT NULL DEFAULT '[]'   -- the first failures: [{line, reason}]
);

-- Codes provisoires (12 characters, single use), stored as HMAC-SHA256 with a server secret.
CREATE TABLE enrolment_code (
  insured_id uuid        NOT NULL,
  code_hash  text        NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (insured_id, code_hash)
);

-- Failed attempts per subject (a NIR, a login, a client address), to slow and then lock brute force.
CREATE TABLE attempt_counter (
  subject      text        PRIMARY KEY,
  failures     integer     NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX attempt_counter_window ON attempt_counter (window_start);

-- Account credentials of the people who sign in with an identifier and a password.
ALTER TABLE app_user
  ADD COLUMN insured_id uuid,
  ADD COLUMN password_hash text,
  ADD COLUMN email text,
  ADD COLUMN email_verified_at timestamptz,
  ADD COLUMN phone text,
  ADD COLUMN disabled_at timestamptz;
CREATE UNIQUE INDEX app_user_insured ON app_user (insured_id) WHERE insured_id IS NOT NULL;
-- identifiers are unique whatever their case, and found by it at sign-in
CREATE UNIQUE INDEX app_user_login_lower ON app_user (lower(login));
CREATE INDEX app_user_patient_id ON app_user (patient_id) WHERE patient_id IS NOT NULL;

-- A link to a record can end (a child turns 18, a carer's delegation ends).
ALTER TABLE app_user_patient ADD COLUMN valid_until timestamptz;

-- One-time codes sent by e-mail: contact verification, second factor at sign-in, password reset.
CREATE TABLE one_time_code (
  id         uuid        PRIMARY KEY,
  subject    text        NOT NULL,   -- 'user:<uuid>', 'activation:<uuid>', 'interaction:<uid>'
  user_id    uuid,                   -- the user it proves, when known (sign-in)
  purpose    text        NOT NULL CHECK (purpose IN ('verify-email', 'sign-in', 'reset-password')),
  code_hash  text        NOT NULL,
  target     text        NOT NULL,   -- the address it was sent to
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts   integer     NOT NULL DEFAULT 0,
  used_at    timestamptz
);
CREATE INDEX one_time_code_subject ON one_time_code (subject, purpose, created_at DESC);
CREATE INDEX one_time_code_expiry ON one_time_code (expires_at);

-- An activation under way: step 1 (NIR, carte Vitale, code) passed; the account is created at the last step.
CREATE TABLE pending_activation (
  id            uuid        PRIMARY KEY,
  insured_id    uuid        NOT NULL,
  code_hash     text        NOT NULL,
  login         text,
  password_hash text,
  email         text,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX pending_activation_insured ON pending_activation (insured_id);
CREATE INDEX pending_activation_expiry ON pending_activation (expires_at);

-- Signed-in sessions of the web app, one per OpenID Connect grant: idle expiry and sign-out.
CREATE TABLE app_session (
  id           text        PRIMARY KEY,   -- the grant id
  user_id      uuid        NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX app_session_user ON app_session (user_id);
CREATE INDEX app_session_seen ON app_session (last_seen_at);

-- Delegations: a second legal representative of a child, or a carer (proche aidant).
CREATE TABLE delegation (
  id             uuid        PRIMARY KEY,
  kind           text        NOT NULL CHECK (kind IN ('legal-representative', 'carer')),
  patient_id     text        NOT NULL,   -- the record shared (the child, the helped person)
  inviter_user   uuid        NOT NULL,
  invitee_user   uuid        NOT NULL,
  status         text        NOT NULL CHECK (status IN ('pending', 'accepted', 'refused', 'expired', 'revoked')),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,   -- of the invitation
  decided_at     timestamptz,
  revoked_by     uuid
);
CREATE INDEX delegation_patient ON delegation (patient_id, status);
CREATE INDEX delegation_invitee ON delegation (invitee_user, status);
CREATE INDEX delegation_inviter ON delegation (inviter_user, status);

-- The notification centre, per profile (patient record).
CREATE TABLE notification (
  id         uuid        PRIMARY KEY,
  patient_id text        NOT NULL,
  category   text        NOT NULL CHECK (category IN ('account', 'documents', 'messages', 'appointments', 'prevention', 'services')),
  type       text        NOT NULL,
  params     jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  read_at    timestamptz,
  deleted_at timestamptz
);
CREATE INDEX notification_patient ON notification (patient_id, created_at DESC) WHERE deleted_at IS NULL;

-- Per-profile e-mail preferences by category (a missing row means the default: e-mail on).
CREATE TABLE notification_preference (
  patient_id text    NOT NULL,
  category   text    NOT NULL,
  email      boolean NOT NULL,
  PRIMARY KEY (patient_id, category)
);

-- Outgoing e-mail, delivered durably with retries. In demo mode it is also the mail catcher.
CREATE TABLE mail_outbox (
  id              uuid        PRIMARY KEY,
  to_address      text        NOT NULL,
  template        text        NOT NULL,   -- rendered at delivery (services/mail/templates.ts): rows stay small
  params          jsonb       NOT NULL,
  created_at      timestamptz NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,            -- null once sent or given up
  sent_at         timestamptz,
  last_error      text
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC);

-- The embedded OpenID Provider's models (sessions, interactions, codes, grants, tokens).
CREATE TABLE oidc_model (
  model      text        NOT NULL,
  id         text        NOT NULL,
  payload    jsonb       NOT NULL,
  grant_id   text,
  uid        text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_model_grant ON oidc_model (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_model_uid ON oidc_model (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_model_expiry ON oidc_model (expires_at) WHERE expires_at IS NOT NULL;

-- Server secrets that must survive restarts and be shared by every node (code pepper, cookie keys).
CREATE TABLE server_secret (
  name  text PRIMARY KEY,
  value text NOT NULL
);
