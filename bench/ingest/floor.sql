-- Sets up the measurement of the database's share of a first load, without the hub (run.py times it): the rows
-- the hub stored for the benchmark's last partnership are written to DIR/p.bin and DIR/s.bin (binary COPY), under
-- a new partnership and with new ids that sort after every stored one, as a new load's time-ordered ids do.
-- run.py then COPYs them back, each time in a transaction of its own that it rolls back:
--   into the hub's tables as they are (their indexes, checks and V9/V10 triggers);
--   into a fresh table with the same columns, defaults and checks, whose indexes are built after the COPY: what a
--     load would pay if each partnership's rows were a partition of their own, loaded apart and then attached.
-- usage: psql -qAt -v dir=DIR -f floor.sql (DIR writable by the server); prints "rows N", then the statements
-- that build the tables' indexes on floor_program and floor_site, one a line.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- The table's columns in order, with some replaced by expressions.
CREATE FUNCTION pg_temp.columns_of(tbl text, replaced jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(coalesce(replaced ->> attname, quote_ident(attname)), ', ' ORDER BY attnum)
    FROM pg_attribute WHERE attrelid = tbl::regclass AND attnum > 0 AND NOT attisdropped
$$;

SELECT partnership_id AS source_partnership FROM program ORDER BY id DESC LIMIT 1 \gset
INSERT INTO partnership (id, slug, name) VALUES ('ffffffff-0000-4000-8000-000000000000', 'ingest-floor',
    'Ingest floor measurement (synthetic)') ON CONFLICT DO NOTHING;

-- Ids moved past every stored one, their order kept ('f' for the leading digit of a time-ordered id).
SELECT format('COPY (SELECT %s FROM program WHERE partnership_id = %L ORDER BY ctid) TO %L (FORMAT binary)',
    pg_temp.columns_of('program', jsonb_build_object(
        'id', $$('f' || substr(id::text, 2))::uuid$$,
        'partnership_id', $$'ffffffff-0000-4000-8000-000000000000'::uuid$$)),
    :'source_partnership', :'dir' || '/p.bin') \gexec
SELECT format('COPY (SELECT %s FROM site s WHERE program_id IN (SELECT id FROM program WHERE partnership_id = %L)'
    ' ORDER BY ctid) TO %L (FORMAT binary)',
    pg_temp.columns_of('site', jsonb_build_object(
        'id', $$('f' || substr(id::text, 2))::uuid$$,
        'program_id', $$('f' || substr(program_id::text, 2))::uuid$$)),
    :'source_partnership', :'dir' || '/s.bin') \gexec

SELECT 'rows ' || count(*) FROM program WHERE partnership_id = :'source_partnership';
SELECT regexp_replace(pg_get_indexdef(indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ',
                      'CREATE \1INDEX ON floor_' || indrelid::regclass || ' ')
FROM pg_index WHERE indrelid IN ('program'::regclass, 'site'::regclass) ORDER BY indrelid::regclass::text, 1;
CHECKPOINT;
