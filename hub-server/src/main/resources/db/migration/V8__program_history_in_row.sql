-- A program's history is the current row plus its stored prior versions. The entry of the version a program is
-- at (which change made it, in which run, when, with which content hash) is kept in the program row itself, so
-- that inserting a program writes one row, not two: a first load no longer pays a second heap row, its index
-- entry and two foreign-key checks per record. When a program moves to another version, the trigger below
-- stores the entry it leaves behind. program_version reads as before: one row per version.
ALTER TABLE program ADD COLUMN last_change text
    CHECK (last_change IN ('INSERTED', 'UPDATED', 'RETIRED', 'REACTIVATED'));
ALTER TABLE program ADD COLUMN last_run_id uuid REFERENCES sync_run (id) ON DELETE SET NULL;

ALTER TABLE program_version RENAME TO program_prior_version;
ALTER TABLE program_prior_version RENAME CONSTRAINT program_version_pkey TO program_prior_version_pkey;
ALTER TABLE program_prior_version RENAME CONSTRAINT program_version_program_id_fkey
    TO program_prior_version_program_id_fkey;
ALTER TABLE program_prior_version RENAME CONSTRAINT program_version_run_id_fkey TO program_prior_version_run_id_fkey;
ALTER TABLE program_prior_version RENAME CONSTRAINT program_version_change_check
    TO program_prior_version_change_check;

-- Existing entries of current versions move into their rows (only where the row says the same; any other stays
-- stored, and its row then states no entry of its own).
WITH moved AS (
    DELETE FROM program_prior_version v USING program p
    WHERE v.program_id = p.id AND v.version = p.version AND v.changed_at = p.last_changed_at
      AND v.content_hash IS NOT DISTINCT FROM p.content_hash
    RETURNING v.program_id, v.change, v.run_id)
UPDATE program p SET last_change = m.change, last_run_id = m.run_id FROM moved m WHERE m.program_id = p.id;

-- Writers that move a program to another version state its new entry (last_change, last_run_id); one that does
-- not (a version bump without a recorded change) leaves the new version without an entry, as before.
CREATE FUNCTION program_store_prior_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.last_change IS NOT NULL THEN
        INSERT INTO program_prior_version (program_id, version, run_id, changed_at, change, content_hash)
        VALUES (OLD.id, OLD.version, OLD.last_run_id, OLD.last_changed_at, OLD.last_change, OLD.content_hash);
    END IF;
    IF NEW.last_change IS NOT DISTINCT FROM OLD.last_change AND NEW.last_run_id IS NOT DISTINCT FROM OLD.last_run_id
    THEN
        NEW.last_change := NULL;
        NEW.last_run_id := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER program_store_prior_version BEFORE UPDATE OF version ON program
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION program_store_prior_version();

CREATE VIEW program_version AS
    SELECT program_id, version, run_id, changed_at, change, content_hash FROM program_prior_version
    UNION ALL
    SELECT id, version, last_run_id, last_changed_at, last_change, content_hash FROM program
    WHERE last_change IS NOT NULL;
