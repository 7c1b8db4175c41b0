-- A counter bumped in the same transaction as any change to programs or census data. Cached analysis results
-- are keyed by it, so every hub instance sees a change the moment it commits, and never serves a stale result.
CREATE TABLE data_version (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    version  bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (version) VALUES (1);
