-- A SYNTHETIC Canada for the national coverage benchmark (seeded; labelled synthetic everywhere):
-- dissemination-area-like 400 m cells clustered around real population centres, with seeded youth counts,
-- and 5,000 programs with 5-20 km radii placed where the cells are. Real census divisions are loaded separately.
-- psql variables: scale (city radii, default 1; bench/smoke.sh runs a tenth), programs (default 5000).
\if :{?scale}
\else
  \set scale 1
\endif
\if :{?programs}
\else
  \set programs 5000
\endif
SELECT setseed(0.2026);

CREATE TEMP TABLE cities (name text, lon float8, lat float8, radius_m float8);
INSERT INTO cities VALUES
  ('Toronto', -79.3832, 43.6532, 30000), ('Montreal', -73.5674, 45.5019, 26000), ('Vancouver', -123.1207, 49.2827, 20000),
  ('Calgary', -114.0719, 51.0447, 16000), ('Edmonton', -113.4938, 53.5461, 16000), ('Ottawa', -75.6972, 45.4215, 15000),
  ('Winnipeg', -97.1384, 49.8951, 13000), ('Quebec City', -71.2080, 46.8139, 11000), ('Hamilton', -79.8711, 43.2557, 10000),
  ('Kitchener', -80.4925, 43.4516, 9000), ('London', -81.2453, 42.9849, 9000), ('Halifax', -63.5752, 44.6488, 9000),
  ('Victoria', -123.3656, 48.4284, 8000), ('Saskatoon', -106.6700, 52.1332, 8000), ('Regina', -104.6189, 50.4452, 8000),
  ('St. John''s', -52.7126, 47.5615, 7000), ('Windsor', -83.0364, 42.3149, 7000), ('Sherbrooke', -71.8929, 45.4042, 6000),
  ('Kelowna', -119.4960, 49.8880, 6000), ('Moncton', -64.7782, 46.0878, 5000), ('Saguenay', -71.0689, 48.4280, 5000),
  ('Thunder Bay', -89.2477, 48.3809, 5000), ('Sudbury', -80.9930, 46.4917, 5000), ('Charlottetown', -63.1311, 46.2382, 4000),
  ('Whitehorse', -135.0568, 60.7212, 3000), ('Yellowknife', -114.3718, 62.4540, 3000), ('Iqaluit', -68.5170, 63.7467, 2000);

CREATE TEMP TABLE cells AS
SELECT DISTINCT ON (ix, iy) ix, iy, c.name AS city FROM (
  SELECT name, radius_m * :scale AS radius_m, ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3347) AS centre FROM cities) c
  CROSS JOIN LATERAL generate_series(-ceil(c.radius_m / 400)::int, ceil(c.radius_m / 400)::int) AS gx
  CROSS JOIN LATERAL generate_series(-ceil(c.radius_m / 400)::int, ceil(c.radius_m / 400)::int) AS gy
  CROSS JOIN LATERAL (SELECT floor(ST_X(c.centre) / 400)::int + gx AS ix, floor(ST_Y(c.centre) / 400)::int + gy AS iy) k
WHERE (gx * 400.0) ^ 2 + (gy * 400.0) ^ 2 <= c.radius_m ^ 2
ORDER BY ix, iy;

DELETE FROM census_dataset WHERE id = 'synthetic-da';
INSERT INTO census_dataset (id, level, title, vintage, source, licence, area_count, repaired_count)
SELECT 'synthetic-da', 'DISSEMINATION_AREA', 'SYNTHETIC dissemination-area-like cells (benchmark only)',
       'synthetic', 'bench/coverage/synthetic-canada.sql (seeded)', 'synthetic data', count(*), 0 FROM cells;
INSERT INTO census_area (dataset_id, code, name, province, total_population, youth_6_18, youth_by_age, youth_method,
                         boundary, area_km2, repaired)
SELECT 'synthetic-da', 'syn-' || ix || '-' || iy, city || ' cell', NULL, NULL, y.total, y.ages, 'synthetic (seeded)',
       ST_Multi(ST_Transform(ST_MakeEnvelope(ix * 400, iy * 400, (ix + 1) * 400, (iy + 1) * 400, 3347), 4326)),
       0.16, false
FROM cells CROSS JOIN LATERAL (
  SELECT array_agg(a ORDER BY i) AS ages, sum(a) AS total
  FROM (SELECT i, round((random() * 16)::numeric, 0)::float8 AS a FROM generate_series(1, 13) AS i) x) y;

INSERT INTO partnership (id, slug, name) VALUES ('00000000-0000-0000-0000-00000000b0c0', 'bench-coverage',
  'Benchmark partnership (SYNTHETIC programs)') ON CONFLICT DO NOTHING;
INSERT INTO program (id, partnership_id, name, min_age, max_age, service_area_kind, service_radius_km, max_matches,
                     active_matches, waitlist, status, source, source_id)
SELECT gen_random_uuid(), '00000000-0000-0000-0000-00000000b0c0', 'Synthetic program ' || n, 6, 18, 'RADIUS',
       5 + floor(random() * 16), 10 + floor(random() * 40), floor(random() * 10), floor(random() * 10), 'ACTIVE',
       'bench-synthetic', 'cov-' || n
FROM generate_series(1, :programs) AS n;
-- Each program's site: a random cell's centre, so programs stand where the (synthetic) youth live.
INSERT INTO site (id, program_id, name, location, precision)
SELECT gen_random_uuid(), p.id, 'Synthetic site', ST_Transform(ST_SetSRID(ST_MakePoint(c.ix * 400 + 200,
       c.iy * 400 + 200), 3347), 4326), 'EXACT'
FROM (SELECT id, row_number() OVER (ORDER BY source_id) AS k FROM program WHERE source_id LIKE 'cov-%') p
JOIN (SELECT ix, iy, row_number() OVER (ORDER BY random()) AS k FROM cells) c ON c.k = p.k;
ANALYZE;
