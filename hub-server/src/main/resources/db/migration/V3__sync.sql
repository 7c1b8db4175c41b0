-- How partner data gets in: registered connectors (pulled on a schedule or on demand), pushes, and a record of
-- every run with its counts and each rejected record.
CREATE TABLE connector (
    id              uuid PRIMARY KEY,
    partnership_id  uuid NOT NULL REFERENCES partnership (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('HSDS_API', 'HSDS_PACKAGE', 'GEOJSON', 'CSV', 'GRAPHQL')),
    location        text NOT NULL,
    mapping         jsonb NOT NULL DEFAULT '{}',
    -- A cron expression (Spring's six fields), or null for on-demand only.
    schedule        text,
    enabled         boolean NOT NULL DEFAULT true,
    -- After the first full sync, pulls ask the source only for what changed since (HSDS modified_after).
    last_full_sync_at   timestamptz,
    last_success_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partnership_id, name)
);

CREATE TABLE sync_run (
    id              uuid PRIMARY KEY,
    partnership_id  uuid NOT NULL REFERENCES partnership (id),
    connector_id    uuid REFERENCES connector (id) ON DELETE SET NULL,
    -- The provenance label the run writes into program.source (e.g. connector:<id>, push).
    source          text NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('FULL', 'INCREMENTAL')),
    status          text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    records_read    integer NOT NULL DEFAULT 0,
    inserted        integer NOT NULL DEFAULT 0,
    updated         integer NOT NULL DEFAULT 0,
    unchanged       integer NOT NULL DEFAULT 0,
    retired         integer NOT NULL DEFAULT 0,
    rejected        integer NOT NULL DEFAULT 0,
    failure         text,
    triggered_by    text
);
CREATE INDEX sync_run_partnership_idx ON sync_run (partnership_id, started_at DESC);
CREATE INDEX sync_run_connector_idx ON sync_run (connector_id, started_at DESC);

CREATE TABLE sync_rejection (
    run_id          uuid NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    source_id       text,
    field           text NOT NULL,
    reason          text NOT NULL,
    PRIMARY KEY (run_id, position)
);

-- Programs a partner pushes or a connector brings are identified by (partnership, source_id); history of
-- changes stays queryable through program_version.
CREATE TABLE program_version (
    program_id      uuid NOT NULL REFERENCES program (id),
    version         integer NOT NULL,
    run_id          uuid REFERENCES sync_run (id) ON DELETE SET NULL,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    change          text NOT NULL CHECK (change IN ('INSERTED', 'UPDATED', 'RETIRED', 'REACTIVATED')),
    content_hash    text,
    PRIMARY KEY (program_id, version)
);

-- Which connector last brought each program; its last successful full sync re-verifies every program it still
-- lists, without rewriting unchanged rows.
ALTER TABLE program ADD COLUMN connector_id uuid REFERENCES connector (id) ON DELETE SET NULL;
CREATE INDEX program_source_idx ON program (partnership_id, source, status);

-- Refused attempts to change another partnership's records (and other denied writes), for review.
CREATE TABLE audit_event (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    subject         text,
    roles           text,
    action          text NOT NULL,
    target          text,
    outcome         text NOT NULL,
    detail          text
);
CREATE INDEX audit_event_at_idx ON audit_event (at DESC);
