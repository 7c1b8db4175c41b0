-- Connectors run on their schedule: the next due time is stored, so that whichever hub instance takes the
-- connector's lock first runs it, once, and moves the time on.
ALTER TABLE connector ADD COLUMN next_run_at timestamptz;
ALTER TABLE connector ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX connector_due_idx ON connector (next_run_at) WHERE enabled AND schedule IS NOT NULL;
