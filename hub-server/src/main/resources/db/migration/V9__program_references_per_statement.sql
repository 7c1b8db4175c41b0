-- A program row's references (partnership, organization, connector, last run) are checked once per statement
-- instead of once per row. A declared foreign key runs a lookup (SELECT … FOR KEY SHARE) for every written row;
-- a sync's COPY of 60,000 programs made 180,000 of them, all for the same partnership, connector and run, and they
-- were a third of its time. The triggers below keep the same rules with set-based statements over the rows a
-- statement wrote (its transition table): each distinct value referenced is locked FOR KEY SHARE, as the foreign
-- key locks it, so that a concurrent delete waits for this transaction; one that is missing fails the statement
-- with the foreign key's own name, SQLSTATE (23503) and message. The referenced tables keep the actions declared
-- before: deleting a partnership or organization that programs still name fails, deleting a connector or a run
-- sets the programs' reference to null. site → program keeps its declared key (its values differ row by row).
ALTER TABLE program
    DROP CONSTRAINT program_partnership_id_fkey,
    DROP CONSTRAINT program_organization_id_fkey,
    DROP CONSTRAINT program_connector_id_fkey,
    DROP CONSTRAINT program_last_run_id_fkey;

-- What each checked column names, and what deleting the named row does to the programs naming it.
CREATE TABLE program_reference (
    program_column  text PRIMARY KEY,
    target          regclass NOT NULL,
    on_delete       text NOT NULL CHECK (on_delete IN ('NO ACTION', 'SET NULL'))
);
INSERT INTO program_reference VALUES
    ('partnership_id', 'partnership', 'NO ACTION'),
    ('organization_id', 'organization', 'NO ACTION'),
    ('connector_id', 'connector', 'SET NULL'),
    ('last_run_id', 'sync_run', 'SET NULL');

CREATE FUNCTION program_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref record;
    missing uuid;
BEGIN
    FOR ref IN SELECT program_column, target FROM program_reference ORDER BY program_column LOOP
        -- One statement locks and checks: a value whose row cannot be locked (absent, or deleted meanwhile) is
        -- missing. LIMIT 1 stops only at a missing value, so without one every referenced row ends up locked.
        EXECUTE format('SELECT d.v FROM (SELECT DISTINCT %1$I AS v FROM written WHERE %1$I IS NOT NULL) d '
                       'LEFT JOIN LATERAL (SELECT true AS found FROM %2$s t WHERE t.id = d.v FOR KEY SHARE) l '
                       'ON true WHERE l.found IS NULL LIMIT 1', ref.program_column, ref.target)
            INTO missing;
        IF missing IS NOT NULL THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('insert or update on table "program" violates foreign key constraint "%s"',
                                 'program_' || ref.program_column || '_fkey'),
                DETAIL = format('Key (%s)=(%s) is not present in table "%s".', ref.program_column, missing,
                                ref.target),
                CONSTRAINT = 'program_' || ref.program_column || '_fkey', TABLE = 'program',
                COLUMN = ref.program_column;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER program_references_inserted AFTER INSERT ON program
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION program_check_references();
CREATE TRIGGER program_references_updated AFTER UPDATE ON program
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION program_check_references();

-- Deleted partnerships, organizations, connectors or runs: fail while programs name them (NO ACTION), or clear
-- the programs' reference (SET NULL). The deleting statement holds the rows' locks, so a concurrent writer's
-- FOR KEY SHARE waits, then finds them gone and fails; this check, a later statement, sees writers committed before.
CREATE FUNCTION program_referenced_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref program_reference;
    still uuid;
BEGIN
    SELECT * INTO STRICT ref FROM program_reference WHERE target = TG_RELID::regclass;
    IF ref.on_delete = 'SET NULL' THEN
        EXECUTE format('UPDATE program SET %1$I = NULL WHERE %1$I IN (SELECT id FROM gone)', ref.program_column);
    ELSE
        EXECUTE format('SELECT p.%1$I FROM program p WHERE p.%1$I IN (SELECT id FROM gone) LIMIT 1',
                       ref.program_column) INTO still;
        IF still IS NOT NULL THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table '
                                 '"program"', ref.target, 'program_' || ref.program_column || '_fkey'),
                DETAIL = format('Key (id)=(%s) is still referenced from table "program".', still),
                CONSTRAINT = 'program_' || ref.program_column || '_fkey', TABLE = 'program';
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- A referenced row's id changing, or the table being truncated, while programs name it: refused, as the keys did.
CREATE FUNCTION program_referenced_rekeyed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref program_reference;
    still boolean;
BEGIN
    SELECT * INTO STRICT ref FROM program_reference WHERE target = TG_RELID::regclass;
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM program WHERE %I IS NOT NULL)', ref.program_column) INTO still;
    ELSE
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM program WHERE %I = $1)', ref.program_column) INTO still
            USING OLD.id;
    END IF;
    IF still THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s on table "%s" violates foreign key constraint "%s" on table "program"',
                             lower(TG_OP), ref.target, 'program_' || ref.program_column || '_fkey'),
            CONSTRAINT = 'program_' || ref.program_column || '_fkey', TABLE = 'program';
    END IF;
    RETURN CASE WHEN TG_OP = 'TRUNCATE' THEN NULL ELSE NEW END;
END $$;

DO $$
DECLARE
    ref program_reference;
BEGIN
    FOR ref IN SELECT * FROM program_reference LOOP
        EXECUTE format('CREATE TRIGGER program_references_deleted AFTER DELETE ON %s REFERENCING OLD TABLE AS gone '
                       'FOR EACH STATEMENT EXECUTE FUNCTION program_referenced_deleted()', ref.target);
        EXECUTE format('CREATE TRIGGER program_references_rekeyed BEFORE UPDATE OF id ON %s FOR EACH ROW '
                       'WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION program_referenced_rekeyed()',
                       ref.target);
        EXECUTE format('CREATE TRIGGER program_references_truncated BEFORE TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION program_referenced_rekeyed()', ref.target);
    END LOOP;
END $$;

-- No index is added for the actions' lookups by connector_id or last_run_id: every written row would pay for it,
-- and the declared keys scanned the table for them too (the hub never deletes connectors or runs).
