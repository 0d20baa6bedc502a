-- The shared medical record (DMP): the patient's settings over their documents, emergency accesses, the
-- habilitation matrix the operator edits, and the documents held back from the patient until released.
-- Documents themselves are DocumentReference resources (their bytes in the BlobStore, named by the
-- SHA-256 the DocumentReference carries); lists of documents are List resources.

-- One row per record whose holder changed a default (domain.md §2.6, §2.8).
CREATE TABLE dmp_settings (
  patient_id          text        PRIMARY KEY,
  -- "masquer par défaut": new documents are hidden from professionals (MASQUE_PS)
  mask_new_documents  boolean     NOT NULL DEFAULT false,
  -- the three emergency consents: SAMU regulation (ETREAT), break the glass by other professionals (BTG),
  -- hidden documents visible in an emergency (MASKED)
  samu_access         boolean     NOT NULL DEFAULT true,
  break_glass         boolean     NOT NULL DEFAULT true,
  hidden_in_emergency boolean     NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL
);

-- Emergency accesses (L1111-17, R1111-48): a professional breaks the glass, or regulates a SAMU call, with a
-- reason, for a limited time. The patient and the médecin traitant are told afterwards.
CREATE TABLE emergency_access (
  id              uuid        PRIMARY KEY,
  patient_id      text        NOT NULL,
  practitioner_id text        NOT NULL,
  role_id         text,
  purpose         text        NOT NULL CHECK (purpose IN ('BTG', 'ETREAT')),
  reason          text        NOT NULL,
  started_at      timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL
);
CREATE INDEX emergency_access_by_patient ON emergency_access (patient_id, practitioner_id, ends_at);

-- The habilitation matrix as the operator set it: a row replaces the default row of the same profession and
-- specialty (src/domain/documents/matrix.ts holds the defaults). specialty '' is the whole profession.
CREATE TABLE habilitation_matrix_row (
  profession  text        NOT NULL,
  specialty   text        NOT NULL DEFAULT '',
  other_types text        NOT NULL CHECK (other_types IN ('allow', 'deny')),
  allow_types text[]      NOT NULL DEFAULT '{}',
  deny_types  text[]      NOT NULL DEFAULT '{}',
  source      text        NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text        NOT NULL,
  PRIMARY KEY (profession, specialty)
);

-- Documents deposited "not visible to the patient" (R1111-53): the patient is told after two weeks that a
-- document waits for them, and the document becomes visible by itself after one month. Both are done once by
-- the jobs; a row whose document is made visible earlier is closed (released_at) by that change.
CREATE TABLE document_hold (
  patient_id     text        NOT NULL,
  document_id    text        NOT NULL,
  deposited_at   timestamptz NOT NULL,
  notice_due_at  timestamptz NOT NULL,
  notice_sent_at timestamptz,
  release_due_at timestamptz NOT NULL,
  released_at    timestamptz,
  PRIMARY KEY (patient_id, document_id)
);
CREATE INDEX document_hold_notice_due ON document_hold (notice_due_at) WHERE notice_sent_at IS NULL AND released_at IS NULL;
CREATE INDEX document_hold_release_due ON document_hold (release_due_at) WHERE released_at IS NULL;

-- The patient's own organisation of their documents: personal folders (name at most 50 characters) and pins.
CREATE TABLE document_folder (
  id         uuid        PRIMARY KEY,
  patient_id text        NOT NULL,
  name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
  created_at timestamptz NOT NULL
);
CREATE INDEX document_folder_by_patient ON document_folder (patient_id);

CREATE TABLE document_placement (
  patient_id  text    NOT NULL,
  document_id text    NOT NULL,
  folder_id   uuid,
  pinned      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (patient_id, document_id)
);

-- The notice of professionals' accesses (ACCES_DMP_PS, domain.md §2.8: "an e-mail at each access"): one per
-- professional, record and day, from the audit trail. The job's position in the trail, and what it sent.
CREATE TABLE access_notice_cursor (
  singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  read_to   timestamptz NOT NULL
);
CREATE TABLE access_notice (
  patient_id      text NOT NULL,
  practitioner_id text NOT NULL,
  day             date NOT NULL,
  PRIMARY KEY (patient_id, practitioner_id, day)
);
