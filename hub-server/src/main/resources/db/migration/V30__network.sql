-- The network of partnerships, run through the API: partnerships get their bilingual names, provinces, contact,
-- description and a lifecycle (retired, never deleted); organizations ask to join; every step is audited.
ALTER TABLE partnership ADD COLUMN name_fr text CHECK (name_fr IS NULL OR length(name_fr) BETWEEN 1 AND 300);
ALTER TABLE partnership ADD COLUMN provinces text[] NOT NULL DEFAULT '{}'
    CHECK (provinces <@ ARRAY['AB','BC','MB','NB','NL','NS','NT','NU','ON','PE','QC','SK','YT']);
ALTER TABLE partnership ADD COLUMN contact text CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 300);
ALTER TABLE partnership ADD COLUMN description text CHECK (description IS NULL OR length(description) <= 4000);
-- Retired: kept with its programs (still queryable), left out of analyses unless asked for.
ALTER TABLE partnership ADD COLUMN retired_at timestamptz;
ALTER TABLE partnership ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE partnership SET provinces = ARRAY[province] WHERE province IS NOT NULL;
-- The region lies in Canada (the padded box of geo's CanadaExtent), as sites do.
ALTER TABLE partnership ADD CONSTRAINT partnership_region_in_canada
    CHECK (region IS NULL OR region @ ST_MakeEnvelope(-141.1, 41.6, -52.5, 83.2, 4326));

-- An organization's request to join the network: public, invisible to the public, until an administrator
-- approves it (it becomes a partnership) or declines it.
CREATE TABLE join_request (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    contact         text NOT NULL CHECK (length(contact) BETWEEN 3 AND 300),
    website         text CHECK (website IS NULL OR length(website) <= 500),
    message         text CHECK (message IS NULL OR length(message) <= 4000),
    region          geometry(MultiPolygon, 4326) NOT NULL,
    status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED')),
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    decided_by      text,
    decision_note   text CHECK (decision_note IS NULL OR length(decision_note) <= 4000),
    partnership_id  uuid REFERENCES partnership (id),
    CONSTRAINT join_request_region_valid CHECK (ST_IsValid(region)),
    CONSTRAINT join_request_region_in_canada CHECK (region @ ST_MakeEnvelope(-141.1, 41.6, -52.5, 83.2, 4326)),
    CONSTRAINT join_request_decided CHECK ((status = 'PENDING') = (decided_at IS NULL)),
    CONSTRAINT join_request_approved_has_partnership CHECK ((status = 'APPROVED') = (partnership_id IS NOT NULL))
);
CREATE INDEX join_request_status_idx ON join_request (status, submitted_at DESC);

-- The audit trail, read by administrators through GraphQL: filtered by actor, partnership, operation and time.
ALTER TABLE audit_event ADD COLUMN partnership text;
CREATE INDEX audit_event_subject_idx ON audit_event (subject, at DESC);
CREATE INDEX audit_event_partnership_idx ON audit_event (partnership, at DESC);
CREATE INDEX audit_event_action_idx ON audit_event (action, at DESC);

-- A deleted connector's runs stay, and keep naming it (as their source, connector:<id>, always did); its programs
-- keep their provenance and lose only the live link (program.connector_id is cleared, per V9).
ALTER TABLE sync_run DROP CONSTRAINT sync_run_connector_id_fkey;
