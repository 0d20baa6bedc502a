-- Prevention (docs/prevention.md): the marks a person sets on the items the engine computes, the reminders
-- sent, and the runs of the reminder job. The items themselves are computed (src/domain/prevention), never
-- stored. A mark ("mammography done on 2026-03-02") is health data about the patient: it is read and written
-- only through the prevention services, which go through the access policy and leave a trace.

-- The person's mark on an item of a profile: planned (optionally on a date), done on a date, or not done.
CREATE TABLE prevention_mark (
  patient_id  text        NOT NULL,
  code        text        NOT NULL,   -- the item's code (stable for the profile)
  mark        text        NOT NULL CHECK (mark IN ('planned', 'done', 'not-done')),
  on_date     date,
  comment     text,
  marked_at   timestamptz NOT NULL,
  marked_by   text        NOT NULL,   -- the account that set it
  PRIMARY KEY (patient_id, code),
  CHECK (mark <> 'done' OR on_date IS NOT NULL)
);

-- The reminders sent: once per profile, item and window, whatever the restarts (the key is the proof).
CREATE TABLE prevention_reminder (
  patient_id   text        NOT NULL,
  code         text        NOT NULL,
  window_start date        NOT NULL,
  type         text        NOT NULL,   -- the item's type (child-exam, vaccination, screening, dental, key-age-checkup)
  sent_at      timestamptz NOT NULL,
  run_day      date        NOT NULL,
  PRIMARY KEY (patient_id, code, window_start)
);
CREATE INDEX prevention_reminder_by_day ON prevention_reminder (run_day);

-- One row per day the job ran (it runs once a day, and resumes where it stopped after a restart).
CREATE TABLE prevention_run (
  day          date        PRIMARY KEY,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  -- the last profile (insured id) done: a restart goes on from there
  cursor       uuid,
  profiles     bigint      NOT NULL DEFAULT 0,
  sent         bigint      NOT NULL DEFAULT 0,
  by_type      jsonb       NOT NULL DEFAULT '{}'
);
