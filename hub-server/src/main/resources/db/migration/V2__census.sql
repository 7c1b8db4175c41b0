-- Youth population by census area. One row per area of a loaded dataset (a layer: provinces, census divisions,
-- a city's neighbourhoods, dissemination areas...). Reloading a dataset replaces its rows in one transaction.
CREATE TABLE census_dataset (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    level           text NOT NULL CHECK (level IN ('PROVINCE', 'CENSUS_DIVISION', 'CENSUS_SUBDIVISION',
                                                   'NEIGHBOURHOOD', 'DISSEMINATION_AREA')),
    title           text NOT NULL,
    -- The census whose counts these are (e.g. 2011) and the boundaries they sit on (e.g. 2016 CD boundaries).
    vintage         text NOT NULL,
    source          text NOT NULL,
    licence         text NOT NULL,
    loaded_at       timestamptz NOT NULL DEFAULT now(),
    area_count      integer NOT NULL,
    repaired_count  integer NOT NULL
);

CREATE TABLE census_area (
    id              bigserial PRIMARY KEY,
    dataset_id      text NOT NULL REFERENCES census_dataset (id) ON DELETE CASCADE,
    code            text NOT NULL,
    name            text NOT NULL,
    province        text CHECK (province ~ '^[A-Z]{2}$'),
    total_population integer CHECK (total_population >= 0),
    -- Youth aged 6 to 18, the hub's population of interest: exact where the source has single years of age,
    -- otherwise estimated from five-year bands by youth_method.
    youth_6_18      double precision NOT NULL CHECK (youth_6_18 >= 0),
    -- The same youth by single year of age, 6 to 18 (13 values); sums to youth_6_18.
    youth_by_age    double precision[] NOT NULL CHECK (cardinality(youth_by_age) = 13),
    youth_method    text NOT NULL,
    boundary        geometry(MultiPolygon, 4326) NOT NULL,
    area_km2        double precision NOT NULL,
    -- True when the published geometry was invalid and repaired with ST_MakeValid on load.
    repaired        boolean NOT NULL DEFAULT false,
    UNIQUE (dataset_id, code),
    CONSTRAINT census_area_boundary_valid CHECK (ST_IsValid(boundary))
);
CREATE INDEX census_area_boundary_gix ON census_area USING gist (boundary);
CREATE INDEX census_area_dataset_idx ON census_area (dataset_id);
