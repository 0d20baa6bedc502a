-- The people who use Carnet. Login flows come with the accounts issue; for now users exist through
-- the demo world (and tests), and authenticate with Carnet-signed tokens whose subject is app_user.id.

CREATE TABLE app_user (
  id              uuid        PRIMARY KEY,
  login           text        NOT NULL UNIQUE,
  role            text        NOT NULL CHECK (role IN ('patient', 'professional', 'operator')),
  display_name    text        NOT NULL,
  -- the FHIR resource that is this person: Patient/<id> for a patient, Practitioner/<id> for a professional
  patient_id      text,
  practitioner_id text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'patient' OR patient_id IS NOT NULL),
  CHECK (role <> 'professional' OR practitioner_id IS NOT NULL)
);

-- Whose record a user may act on: their own ('self') and, for parents, legal representatives and
-- carers, the people they act for. A reference table: small, and read on every request.
CREATE TABLE app_user_patient (
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  patient_id text NOT NULL,
  relation   text NOT NULL CHECK (relation IN ('self', 'parent', 'legal-representative', 'carer')),
  PRIMARY KEY (user_id, patient_id)
);
CREATE INDEX app_user_patient_by_patient ON app_user_patient (patient_id);
