-- A run's life has one owner (SyncRunner). A run is owned by the hub instance that started it, which beats its
-- heart while the run goes on: a run whose heart has stopped beyond a bound (its instance was killed) is
-- ABANDONED by whichever instance looks first; a run still going when its instance shuts down is INTERRUPTED.
ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check
    CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED', 'ABANDONED'));
ALTER TABLE sync_run ADD COLUMN owner_instance text;
ALTER TABLE sync_run ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sync_run_running_idx ON sync_run (heartbeat_at) WHERE status = 'RUNNING';

-- The incremental watermark: upstream changes made before this time are in the hub. It is the start of the last
-- successful read (not its end), so an edit made upstream while a run was reading is read by the next one.
ALTER TABLE connector ADD COLUMN changes_read_until timestamptz;
UPDATE connector SET changes_read_until = last_success_at;
