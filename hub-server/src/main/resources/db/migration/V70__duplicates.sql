-- Duplicates across sources (docs/duplicates.md): the same program pushed by a partnership and read from an HSDS
-- feed or a federated hub. Likely duplicates are found on the fly (names compared with pg_trgm's similarity);
-- what is stored is the planners' decisions, keyed by program ids, which a re-sync keeps (a program keeps its id
-- as long as its partnership and source id stay). pg_trgm is a trusted extension (PostgreSQL 13+): the
-- database's owner may create it; Debian ships it in postgresql-15 itself.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A planner's decision on a group of programs: CONFIRMED (one program published twice or more: analyses count
-- it once) or DISMISSED (different programs: no longer proposed).
CREATE TABLE duplicate_group (
    id          uuid PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('CONFIRMED', 'DISMISSED')),
    decided_by  text,
    decided_at  timestamptz NOT NULL DEFAULT now()
);

-- A program is in at most one decided group: a later decision on it takes it out of the earlier one.
CREATE TABLE duplicate_member (
    program_id  uuid PRIMARY KEY REFERENCES program (id) ON DELETE CASCADE,
    group_id    uuid NOT NULL REFERENCES duplicate_group (id) ON DELETE CASCADE
);
CREATE INDEX duplicate_member_group_idx ON duplicate_member (group_id);
