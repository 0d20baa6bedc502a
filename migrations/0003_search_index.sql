-- Search columns beyond tokens (see src/fhir/search/extract.ts for their forms):
--   strings      "param=<normalised>" (accent- and case-insensitive) and "param:exact=<as written>"
--   date_params, date_lo, date_hi   parallel arrays: one [lo, hi) range per date value
-- A row is matched by unnesting its own arrays: searches are narrowed first by the primary key (a patient's
-- record), by id, or by the tokens GIN index.
ALTER TABLE resource
  ADD COLUMN strings     text[]        NOT NULL DEFAULT '{}',
  ADD COLUMN date_params text[]        NOT NULL DEFAULT '{}',
  ADD COLUMN date_lo     timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN date_hi     timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE shared_resource
  ADD COLUMN strings     text[]        NOT NULL DEFAULT '{}',
  ADD COLUMN date_params text[]        NOT NULL DEFAULT '{}',
  ADD COLUMN date_lo     timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN date_hi     timestamptz[] NOT NULL DEFAULT '{}';

-- Which version of the extraction rules the stored search columns follow. Carnet re-indexes every current
-- resource at start when its rules are newer (src/repo/reindex.ts).
CREATE TABLE search_index_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   integer NOT NULL
);
INSERT INTO search_index_state (version) VALUES (0);
