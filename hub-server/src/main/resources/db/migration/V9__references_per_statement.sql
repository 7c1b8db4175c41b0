-- The references a sync writes row by row (a program's partnership, organization, connector and last run; a
-- site's program) are checked once per statement instead of once per row. A declared foreign key runs a lookup
-- (SELECT … FOR KEY SHARE) for every written row: a sync's COPY of 60,000 programs with their sites made 240,000 of
-- them, 180,000 for one partnership, connector and run, and 60,000 locking programs written a moment before by
-- the same transaction, which nobody else can see, let alone delete. They were over a third of its time.
--
-- The triggers below keep the keys' rules with set-based statements over the rows a statement wrote (its
-- transition table). Each distinct value referenced is locked FOR KEY SHARE, as the key locks it, so that a
-- concurrent delete waits for this transaction, unless this transaction wrote that row itself (its xmin is ours).
-- A value whose row is neither ours nor lockable (absent, or deleted meanwhile) fails the statement with the key's
-- own name, SQLSTATE 23503 and message. The referenced tables keep the actions declared before: deleting a
-- partnership or organization that programs name fails, deleting a connector or run clears the programs'
-- reference, deleting a program deletes its sites; changing a referenced id, or truncating a referenced table,
-- fails. Other keys stay declared (their tables are written a row at a time).
ALTER TABLE program
    DROP CONSTRAINT program_partnership_id_fkey,
    DROP CONSTRAINT program_organization_id_fkey,
    DROP CONSTRAINT program_connector_id_fkey,
    DROP CONSTRAINT program_last_run_id_fkey;
ALTER TABLE site DROP CONSTRAINT site_program_id_fkey;

-- Every reference checked by these triggers, with its former key's name, what it names and its delete action.
CREATE TABLE checked_reference (
    constraint_name text PRIMARY KEY,
    referencing     regclass NOT NULL,
    column_name     text NOT NULL,
    target          regclass NOT NULL,
    on_delete       text NOT NULL CHECK (on_delete IN ('NO ACTION', 'SET NULL', 'CASCADE')),
    UNIQUE (referencing, column_name)
);
INSERT INTO checked_reference VALUES
    ('program_partnership_id_fkey', 'program', 'partnership_id', 'partnership', 'NO ACTION'),
    ('program_organization_id_fkey', 'program', 'organization_id', 'organization', 'NO ACTION'),
    ('program_connector_id_fkey', 'program', 'connector_id', 'connector', 'SET NULL'),
    ('program_last_run_id_fkey', 'program', 'last_run_id', 'sync_run', 'SET NULL'),
    ('site_program_id_fkey', 'site', 'program_id', 'program', 'CASCADE');

-- The failure of a check: the key's own message, SQLSTATE 23503, constraint, table and column.
CREATE FUNCTION reference_missing(key text, missing uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ref checked_reference;
BEGIN
    SELECT * INTO STRICT ref FROM checked_reference WHERE constraint_name = key;
    RAISE foreign_key_violation USING
        MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', ref.referencing,
                         ref.constraint_name),
        DETAIL = format('Key (%s)=(%s) is not present in table "%s".', ref.column_name, missing, ref.target),
        CONSTRAINT = ref.constraint_name, TABLE = ref.referencing::text, COLUMN = ref.column_name;
END $$;

-- One check function per referencing table, written out below from checked_reference with static statements (so
-- that PL/pgSQL keeps their plans: a single-row insert pays about what the declared keys cost, where statements
-- built at run time were planned anew each time, 0.75 ms a statement). Each reference is one statement that locks
-- and checks: the lock's scan only runs for a value not written by this transaction (its qual on "ours" is a
-- one-time filter); LIMIT 1 stops only at a missing value, so without one every referenced row of another
-- transaction ends up locked.
DO $$
DECLARE
    t regclass;
    ref checked_reference;
    body text;
BEGIN
    FOR t IN SELECT DISTINCT referencing FROM checked_reference LOOP
        body := '';
        FOR ref IN SELECT * FROM checked_reference WHERE referencing = t ORDER BY constraint_name LOOP
            body := body || format(
                'SELECT d.v INTO missing FROM (SELECT DISTINCT %1$I AS v FROM written WHERE %1$I IS NOT NULL) d '
                'LEFT JOIN LATERAL (SELECT true AS found FROM %2$s r WHERE r.id = d.v '
                'AND r.xmin = pg_current_xact_id()::xid) ours ON true '
                'LEFT JOIN LATERAL (SELECT true AS found FROM %2$s r WHERE r.id = d.v AND ours.found IS NULL '
                'FOR KEY SHARE) locked ON true '
                'WHERE ours.found IS NULL AND locked.found IS NULL LIMIT 1; '
                'IF missing IS NOT NULL THEN PERFORM reference_missing(%3$L, missing); END IF; ',
                ref.column_name, ref.target, ref.constraint_name);
        END LOOP;
        EXECUTE format('CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS %L',
                       'check_' || t || '_references',
                       'DECLARE missing uuid; BEGIN ' || body || 'RETURN NULL; END');
    END LOOP;
END $$;

-- Deleted rows that others name: fail (NO ACTION), clear the reference (SET NULL) or delete the naming rows
-- (CASCADE). The deleting statement holds the rows' locks, so a concurrent writer's FOR KEY SHARE waits, then finds
-- them gone and fails; these statements, run after the delete, see the writers that committed before it.
CREATE FUNCTION referenced_rows_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref checked_reference;
    still uuid;
BEGIN
    FOR ref IN SELECT * FROM checked_reference WHERE target = TG_RELID::regclass ORDER BY constraint_name LOOP
        IF ref.on_delete = 'SET NULL' THEN
            EXECUTE format('UPDATE %1$s SET %2$I = NULL WHERE %2$I IN (SELECT id FROM gone)', ref.referencing,
                           ref.column_name);
        ELSIF ref.on_delete = 'CASCADE' THEN
            EXECUTE format('DELETE FROM %1$s WHERE %2$I IN (SELECT id FROM gone)', ref.referencing, ref.column_name);
        ELSE
            EXECUTE format('SELECT r.%2$I FROM %1$s r WHERE r.%2$I IN (SELECT id FROM gone) LIMIT 1',
                           ref.referencing, ref.column_name) INTO still;
            IF still IS NOT NULL THEN
                RAISE foreign_key_violation USING
                    MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table '
                                     '"%s"', ref.target, ref.constraint_name, ref.referencing),
                    DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', still, ref.referencing),
                    CONSTRAINT = ref.constraint_name, TABLE = ref.referencing::text;
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- A referenced row's id changing, or its table being truncated, while rows name it: refused, as the keys did.
CREATE FUNCTION referenced_rows_rekeyed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref checked_reference;
    still boolean;
BEGIN
    FOR ref IN SELECT * FROM checked_reference WHERE target = TG_RELID::regclass ORDER BY constraint_name LOOP
        IF TG_OP = 'TRUNCATE' THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I IS NOT NULL)', ref.referencing,
                           ref.column_name) INTO still;
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I = $1)', ref.referencing, ref.column_name)
                INTO still USING OLD.id;
        END IF;
        IF still THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('%s on table "%s" violates foreign key constraint "%s" on table "%s"',
                                 lower(TG_OP), ref.target, ref.constraint_name, ref.referencing),
                CONSTRAINT = ref.constraint_name, TABLE = ref.referencing::text;
        END IF;
    END LOOP;
    RETURN CASE WHEN TG_OP = 'TRUNCATE' THEN NULL ELSE NEW END;
END $$;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT DISTINCT referencing FROM checked_reference LOOP
        EXECUTE format('CREATE TRIGGER references_inserted AFTER INSERT ON %s REFERENCING NEW TABLE AS written '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, 'check_' || t || '_references');
        EXECUTE format('CREATE TRIGGER references_updated AFTER UPDATE ON %s REFERENCING NEW TABLE AS written '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, 'check_' || t || '_references');
    END LOOP;
    FOR t IN SELECT DISTINCT target FROM checked_reference LOOP
        EXECUTE format('CREATE TRIGGER referenced_rows_deleted AFTER DELETE ON %s REFERENCING OLD TABLE AS gone '
                       'FOR EACH STATEMENT EXECUTE FUNCTION referenced_rows_deleted()', t);
        EXECUTE format('CREATE TRIGGER referenced_rows_rekeyed BEFORE UPDATE OF id ON %s FOR EACH ROW '
                       'WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION referenced_rows_rekeyed()', t);
        EXECUTE format('CREATE TRIGGER referenced_rows_truncated BEFORE TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION referenced_rows_rekeyed()', t);
    END LOOP;
END $$;

-- The actions look rows up by each reference. site_program_idx serves the cascade, the unique (partnership_id,
-- source_id) index the partnership check; no index is added for connector_id or last_run_id: every written program
-- would pay for it, and the declared keys scanned the table for them too (the hub never deletes connectors or
-- runs).
