-- API clients (client-credentials) are rows: a secret stored only as a hash, roles, and for partner roles exactly
-- one partnership. `generation` is carried by every token issued to the client; rotating or revoking the client
-- bumps it, which refuses every earlier token on its next request. Single tokens revoked through /oauth2/revoke
-- are listed until they would have expired anyway.
CREATE TABLE api_client (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id         text NOT NULL UNIQUE,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_hash       text NOT NULL,
    roles             text[] NOT NULL,
    partnership_id    uuid REFERENCES partnership (id),
    generation        integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text,
    secret_changed_at timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,
    revoked_by        text,
    CONSTRAINT api_client_id_form CHECK (client_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    CONSTRAINT api_client_roles CHECK (cardinality(roles) >= 1
        AND roles <@ ARRAY['PARTNER', 'COORDINATOR', 'FUNDER', 'PLANNER', 'ADMIN']::text[]),
    CONSTRAINT api_client_partnership CHECK ((partnership_id IS NOT NULL)
        = (roles && ARRAY['PARTNER', 'COORDINATOR']::text[]))
);
CREATE INDEX api_client_partnership_idx ON api_client (partnership_id);

CREATE TABLE revoked_token (
    jti        text PRIMARY KEY,
    client_id  text NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_token_expires_idx ON revoked_token (expires_at);
