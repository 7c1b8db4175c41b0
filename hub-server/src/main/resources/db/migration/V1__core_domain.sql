-- The hub's core domain: regional partnerships, the organizations (providers) they federate, mentoring programs
-- and the sites where programs meet youth. Coordinates are WGS 84 lon/lat (SRID 4326) as published; distances
-- and areas are computed on the geography type or in Statistics Canada Lambert (EPSG:3347), never in degrees.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE partnership (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    province    text CHECK (province ~ '^[A-Z]{2}$'),
    website     text,
    region      geometry(MultiPolygon, 4326),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT partnership_region_valid CHECK (region IS NULL OR ST_IsValid(region))
);
CREATE INDEX partnership_region_gix ON partnership USING gist (region);

CREATE TABLE organization (
    id              uuid PRIMARY KEY,
    partnership_id  uuid NOT NULL REFERENCES partnership (id),
    source_id       text,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    website         text,
    email           text,
    phone           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partnership_id, source_id)
);
CREATE INDEX organization_partnership_idx ON organization (partnership_id);

CREATE TABLE program (
    id                  uuid PRIMARY KEY,
    partnership_id      uuid NOT NULL REFERENCES partnership (id),
    organization_id     uuid REFERENCES organization (id),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    description         text,
    min_age             integer CHECK (min_age BETWEEN 0 AND 120),
    max_age             integer CHECK (max_age BETWEEN 0 AND 120),
    model               text CHECK (model IN ('ONE_TO_ONE', 'GROUP', 'PEER', 'E_MENTORING', 'TEAM')),
    setting             text CHECK (setting IN ('COMMUNITY', 'SCHOOL', 'WORKPLACE', 'ONLINE')),
    languages           text[] NOT NULL DEFAULT '{}',
    delivery_mode       text NOT NULL DEFAULT 'IN_PERSON' CHECK (delivery_mode IN ('IN_PERSON', 'VIRTUAL', 'HYBRID')),
    service_area_kind   text NOT NULL DEFAULT 'RADIUS' CHECK (service_area_kind IN ('RADIUS', 'POLYGON', 'REGION')),
    service_radius_km   double precision CHECK (service_radius_km > 0 AND service_radius_km <= 500),
    service_area        geometry(MultiPolygon, 4326),
    active_matches      integer CHECK (active_matches >= 0),
    max_matches         integer CHECK (max_matches >= 0),
    waitlist            integer CHECK (waitlist >= 0),
    fee_free            boolean,
    fee_description     text,
    status              text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED', 'CLOSED', 'RETIRED')),
    -- Provenance: who published it, through which source, under which id there, and how fresh it is.
    source              text NOT NULL,
    source_id           text NOT NULL,
    content_hash        text,
    first_seen_at       timestamptz NOT NULL DEFAULT now(),
    last_changed_at     timestamptz NOT NULL DEFAULT now(),
    last_verified_at    timestamptz,
    version             integer NOT NULL DEFAULT 0,
    CONSTRAINT program_ages_ordered CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
    CONSTRAINT program_service_area_valid CHECK (service_area IS NULL OR ST_IsValid(service_area)),
    CONSTRAINT program_radius_needs_radius CHECK (service_area_kind <> 'RADIUS' OR service_radius_km IS NOT NULL),
    CONSTRAINT program_polygon_needs_area CHECK (service_area_kind <> 'POLYGON' OR service_area IS NOT NULL),
    UNIQUE (partnership_id, source_id)
);
CREATE INDEX program_partnership_idx ON program (partnership_id);
CREATE INDEX program_organization_idx ON program (organization_id);
CREATE INDEX program_status_name_idx ON program (status, name, id);
CREATE INDEX program_service_area_gix ON program USING gist (service_area);

CREATE TABLE site (
    id              uuid PRIMARY KEY,
    program_id      uuid NOT NULL REFERENCES program (id) ON DELETE CASCADE,
    source_id       text,
    name            text,
    address         text,
    city            text,
    province        text CHECK (province ~ '^[A-Z]{2}$'),
    postal_code     text CHECK (postal_code IS NULL OR postal_code ~ '^[A-Z][0-9][A-Z] [0-9][A-Z][0-9]$'),
    location        geometry(Point, 4326) NOT NULL,
    precision       text NOT NULL DEFAULT 'EXACT' CHECK (precision IN ('EXACT', 'POSTAL_FSA')),
    -- Canada's extent, padded: what lies outside is a data error, caught on the way in.
    CONSTRAINT site_in_canada CHECK (ST_X(location) BETWEEN -141.1 AND -52.5 AND ST_Y(location) BETWEEN 41.6 AND 83.2)
);
CREATE INDEX site_program_idx ON site (program_id);
CREATE INDEX site_location_gix ON site USING gist (location);
-- "Near" queries measure on the spheroid; this index serves ST_DWithin(location::geography, …).
CREATE INDEX site_location_geog_gix ON site USING gist ((location::geography));
