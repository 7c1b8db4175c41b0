-- Hubs that pull from hubs (docs/hub-to-hub.md).
-- programs(filter: {changedSince}) lists programs by (last change, id) from a cursor on: a range scan of this
-- index rather than a sort of every program changed since. It costs every program write one more entry, which a
-- downstream hub's incremental read (every few minutes, page after page) repays.
CREATE INDEX program_changed_idx ON program (last_changed_at, id);

-- The OAuth2 client a GRAPHQL connector authenticates as upstream. The secret is AES-GCM sealed with the hub's
-- hub.secrets.key (12-byte nonce, then ciphertext and tag; the connector's id is the associated data, so a sealed
-- secret copied to another connector does not open), never stored or returned in clear.
ALTER TABLE connector ADD COLUMN client_id text CHECK (length(client_id) BETWEEN 1 AND 200);
ALTER TABLE connector ADD COLUMN token_url text CHECK (length(token_url) <= 2000);
ALTER TABLE connector ADD COLUMN client_secret_sealed bytea;
