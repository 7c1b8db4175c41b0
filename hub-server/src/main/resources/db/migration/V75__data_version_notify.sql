-- Every change of the data version is announced at its commit (NOTIFY is transactional), whoever makes it: the hub,
-- another instance, or plain SQL. Each instance listens, so a tile can be keyed by the version without asking
-- PostgreSQL for it (cache.DataVersion#recent).
CREATE FUNCTION data_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hub_data_version', NEW.version::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER data_version_notify AFTER UPDATE ON data_version
    FOR EACH ROW EXECUTE FUNCTION data_version_notify();
