-- Secure messaging (issue 7, domain.md §3). The messages themselves are Communication resources in the
-- patient's compartment; these tables are the mailbox's index (conversations, read state, drafts, quota)
-- and the professional mailboxes Carnet knows besides the directory's.

-- Professional mailboxes the operator created (APP, CAB, or PER/ORG missing from the directory).
CREATE TABLE mss_mailbox (
  address          text        PRIMARY KEY,             -- lower case
  kind             text        NOT NULL CHECK (kind IN ('PER', 'ORG', 'APP', 'CAB')),
  display_name     text        NOT NULL,
  practitioner_id  text,                                -- IdNat_PS, for PER and CAB
  organization_id  text,                                -- directory_organization.id, for ORG and APP
  pharmacy         boolean     NOT NULL DEFAULT false,  -- an officine's mailbox (patients may write to it)
  active           boolean     NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL,
  created_by       uuid
);

-- Passwords for SMTP submission (a professional's mail client or software), one per mailbox and label.
CREATE TABLE mss_credential (
  id              uuid        PRIMARY KEY,
  address         text        NOT NULL,                 -- the mailbox the client sends as
  practitioner_id text        NOT NULL,                 -- who created it
  label           text        NOT NULL,
  secret_hash     text        NOT NULL,                 -- scrypt, as the account passwords
  created_at      timestamptz NOT NULL,
  last_used_at    timestamptz,
  revoked_at      timestamptz
);
CREATE INDEX mss_credential_address ON mss_credential (address) WHERE revoked_at IS NULL;

-- Files sent ahead of a message (POST …/uploads): whose they are, so that nobody else attaches them.
CREATE TABLE mss_upload (
  id           uuid        PRIMARY KEY,
  owner_user   uuid        NOT NULL,                   -- app_user.id of who uploaded it
  blob_key     text        NOT NULL,                   -- BlobStore key (SHA-256)
  size_bytes   bigint      NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX mss_upload_created ON mss_upload (created_at);

-- Dispensations known from the reimbursement feed or MedicationDispense: which pharmacy served whom, when.
-- Patient-scoped (Citus: distributed on patient_id).
CREATE TABLE pharmacy_dispensation (
  patient_id      text        NOT NULL,
  organization_id text        NOT NULL,                 -- the officine (directory_organization.id)
  dispensed_on    date        NOT NULL,
  source          text        NOT NULL,                 -- 'reimbursement', 'MedicationDispense/<id>'
  PRIMARY KEY (patient_id, organization_id, dispensed_on, source)
);

-- A conversation of a patient's mailbox. Patient-scoped.
CREATE TABLE mss_conversation (
  patient_id      text        NOT NULL,
  id              uuid        NOT NULL,
  subject         text        NOT NULL,
  counterparts    text[]      NOT NULL,                 -- the professional addresses taking part
  started_by      text        NOT NULL,                 -- the address that wrote first
  started_at      timestamptz NOT NULL,
  last_message_at timestamptz NOT NULL,
  closed_at       timestamptz,                          -- a professional ended it (X-MSS-MES: FIN)
  closed_by       text,
  trashed_at      timestamptz,                          -- the patient side moved it to the trash
  PRIMARY KEY (patient_id, id)
);
CREATE INDEX mss_conversation_inbox ON mss_conversation (patient_id, last_message_at DESC);
CREATE INDEX mss_conversation_counterparts ON mss_conversation USING gin (counterparts);

-- A message of a conversation: its Communication, its Message-ID and its state. Patient-scoped.
CREATE TABLE mss_message (
  patient_id      text        NOT NULL,
  id              text        NOT NULL,                 -- the Communication's id
  conversation_id uuid        NOT NULL,
  message_id      text        NOT NULL,                 -- RFC 5322 Message-ID, without <>
  direction       text        NOT NULL CHECK (direction IN ('in', 'out')),  -- in: to the patient
  from_address    text        NOT NULL,
  to_addresses    text[]      NOT NULL,
  cc_addresses    text[]      NOT NULL DEFAULT '{}',
  at              timestamptz NOT NULL,                 -- sent (received for incoming), or last saved for a draft
  draft           boolean     NOT NULL DEFAULT false,
  read_at         timestamptz,                          -- incoming: the patient side opened it
  receipt_at      timestamptz,                          -- outgoing: the professional's read receipt, when one came
  size_bytes      bigint      NOT NULL DEFAULT 0,       -- the attachments' bytes (the mailbox quota)
  PRIMARY KEY (patient_id, id)
);
CREATE UNIQUE INDEX mss_message_message_id ON mss_message (patient_id, message_id);
CREATE INDEX mss_message_conversation ON mss_message (patient_id, conversation_id, at);
CREATE INDEX mss_message_unread ON mss_message (patient_id) WHERE direction = 'in' AND read_at IS NULL AND NOT draft;
