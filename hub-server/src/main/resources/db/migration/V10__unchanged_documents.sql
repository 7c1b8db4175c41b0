-- A connector that reads one document whole (CSV, GeoJSON) mostly finds it as it was: a partnership's export
-- changes now and then, and is pulled on a schedule in between. Such a run need not parse, validate and compare
-- every record again when two things hold, both recorded here: the document, with everything that shapes how it
-- reads (connector kind, location, mapping, the hub's version, the postal-code table), is byte for byte the one a
-- successful run applied (source_digest), and nothing has written the partnership's programs since that run
-- (programs_revision).
--
-- programs_revision counts the statements that wrote a partnership's programs, whoever ran them (a sync, a push,
-- a retirement, an administrator in psql): the triggers below bump it for every partnership a statement's rows
-- belong to, before and after the change. A run records the revision its own writes left, read in its own
-- transaction.
ALTER TABLE partnership ADD COLUMN programs_revision bigint NOT NULL DEFAULT 0;

ALTER TABLE sync_run ADD COLUMN source_digest text;
ALTER TABLE sync_run ADD COLUMN programs_revision bigint;
-- The earlier run whose document this run found unchanged, when it applied that run's outcome instead of reading.
ALTER TABLE sync_run ADD COLUMN same_document_as uuid REFERENCES sync_run (id) ON DELETE SET NULL;
CREATE INDEX sync_run_document_idx ON sync_run (connector_id, source_digest) WHERE status = 'SUCCEEDED';

CREATE FUNCTION programs_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE partnership SET programs_revision = programs_revision + 1;
    ELSIF TG_OP = 'INSERT' THEN
        UPDATE partnership SET programs_revision = programs_revision + 1
        WHERE id IN (SELECT partnership_id FROM after_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE partnership SET programs_revision = programs_revision + 1
        WHERE id IN (SELECT partnership_id FROM before_rows);
    ELSE
        UPDATE partnership SET programs_revision = programs_revision + 1
        WHERE id IN (SELECT partnership_id FROM before_rows UNION SELECT partnership_id FROM after_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER programs_revised_inserted AFTER INSERT ON program REFERENCING NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION programs_revised();
CREATE TRIGGER programs_revised_updated AFTER UPDATE ON program
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION programs_revised();
CREATE TRIGGER programs_revised_deleted AFTER DELETE ON program REFERENCING OLD TABLE AS before_rows
    FOR EACH STATEMENT EXECUTE FUNCTION programs_revised();
CREATE TRIGGER programs_revised_truncated AFTER TRUNCATE ON program
    FOR EACH STATEMENT EXECUTE FUNCTION programs_revised();
