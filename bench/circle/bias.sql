-- Circle bias, run by bench/circle-bias.sh (psql variable :quad = the tolerance's segments per quarter circle).
\timing off
SET client_min_messages = warning;

-- Census units in EPSG:3347 (the hub's analysis CRS), repaired as the hub's loader repairs them; youth 5-19
-- for Toronto's neighbourhoods (the bands they publish), 6-18 for census divisions.
CREATE TABLE units AS
SELECT 'toronto-neighbourhoods'::text AS layer, 'T' || hood_id AS id,
       (age_5_9 + age_10_14 + age_15_19)::float8 AS youth,
       ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 3347) AS g
FROM hoods
UNION ALL
SELECT 'census-divisions', 'D' || cduid, c2011_age_6_18::float8,
       ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 3347)
FROM divisions;
ALTER TABLE units ADD COLUMN area float8;
UPDATE units SET area = ST_Area(g);
CREATE INDEX ON units USING gist (g);
ANALYZE units;

-- Real places as sites: every 8th Toronto school, every 2nd forward sortation area centroid (times :sample, 1
-- unless given: bench/smoke.sh thins them).
\if :{?sample}
\else
  \set sample 1
\endif
CREATE TABLE sites AS
SELECT 'toronto-neighbourhoods'::text AS layer, 'school-' || ogc_fid AS id, geom::geography AS site
FROM (SELECT ogc_fid, geom, row_number() OVER (ORDER BY ogc_fid) AS n FROM schools) s WHERE n % (8 * :sample) = 0
UNION ALL
SELECT 'census-divisions', 'fsa-' || fsa, geom::geography
FROM (SELECT fsa, geom, row_number() OVER (ORDER BY fsa) AS n FROM fsa) f WHERE n % (2 * :sample) = 0;

-- Each site and radius drawn four ways, then projected to EPSG:3347 as the hub projects service areas.
CREATE TABLE circles AS
SELECT s.layer, s.id, r.radius, v.variant,
       ST_Transform(CASE v.variant
         WHEN '64-gon' THEN ST_Buffer(s.site, r.radius, 16)::geometry
         WHEN 'tolerance' THEN ST_Buffer(s.site, r.radius, :quad)::geometry
         WHEN 'reference' THEN ST_Buffer(s.site, r.radius, 2048)::geometry
         ELSE (SELECT ST_MakePolygon(ST_AddPoint(line, ST_StartPoint(line)))
               FROM (SELECT ST_MakeLine(ST_Project(s.site, r.radius, 2 * pi() * k / 2048)::geometry ORDER BY k) AS line
                     FROM generate_series(0, 2047) AS k) ring)
       END, 3347) AS g
FROM sites s
CROSS JOIN (VALUES (1000.0::float8), (5000.0), (25000.0)) AS r(radius)
CROSS JOIN (VALUES ('64-gon'), ('tolerance'), ('reference'), ('geodesic')) AS v(variant);
CREATE INDEX ON circles USING gist (g);
ANALYZE circles;

-- Areal weighting per circle (no union: the bias of one reach), as the hub weighs a unit's youth.
CREATE TABLE covered AS
SELECT c.layer, c.id, c.radius, c.variant, ST_Area(c.g) AS polygon,
       coalesce(sum(u.youth * x.land / u.area), 0) AS youth, coalesce(sum(x.land), 0) AS land
FROM circles c
LEFT JOIN units u ON u.layer = c.layer AND ST_Intersects(u.g, c.g)
LEFT JOIN LATERAL (SELECT CASE WHEN ST_Covers(c.g, u.g) THEN u.area
                               ELSE ST_Area(ST_Intersection(u.g, c.g)) END AS land) x ON u.id IS NOT NULL
GROUP BY c.layer, c.id, c.radius, c.variant, c.g;

\echo
\echo 'Against the reference (ST_Buffer on geography, 2,048 segments a quarter = 8,192 vertices), summed over'
\echo 'circles: percent of the reference polygon area, covered youth and covered land (negative = biased low).'
\echo '"geodesic" is the true circle on the spheroid (2,048 ST_Project points) against the same reference:'
\echo 'negative = the geography buffer, drawn in the UTM zone of the site, is larger than the true circle.'
WITH ref AS (SELECT * FROM covered WHERE variant = 'reference'),
cmp AS (
  SELECT c.layer, c.radius, c.variant, count(*) AS circles,
         100 * (sum(c.polygon) / sum(r.polygon) - 1) AS polygon_pct,
         100 * (sum(c.youth) / nullif(sum(r.youth), 0) - 1) AS youth_pct,
         100 * (sum(c.land) / nullif(sum(r.land), 0) - 1) AS land_pct,
         100 * max(abs(c.youth / nullif(r.youth, 0) - 1)) AS worst_circle_youth_pct,
         sum(r.youth) AS ref_youth
  FROM covered c JOIN ref r USING (layer, id, radius)
  WHERE c.variant <> 'reference'
  GROUP BY c.layer, c.radius, c.variant)
SELECT layer, (radius / 1000)::int AS km, variant, circles,
       round(polygon_pct::numeric, 4) AS "polygon %", round(youth_pct::numeric, 4) AS "covered youth %",
       round(land_pct::numeric, 4) AS "covered land %", round(worst_circle_youth_pct::numeric, 4) AS "worst circle youth |%|",
       round(ref_youth::numeric) AS "reference youth"
FROM cmp ORDER BY layer DESC, radius, array_position(ARRAY['64-gon', 'tolerance', 'geodesic'], variant);

\echo All layers and radii together:
WITH ref AS (SELECT * FROM covered WHERE variant = 'reference')
SELECT c.variant, count(*) AS circles,
       round((100 * (sum(c.youth) / sum(r.youth) - 1))::numeric, 4) AS "covered youth %",
       round((100 * (sum(c.land) / sum(r.land) - 1))::numeric, 4) AS "covered land %"
FROM covered c JOIN ref r USING (layer, id, radius)
WHERE c.variant <> 'reference'
GROUP BY c.variant ORDER BY array_position(ARRAY['64-gon', 'tolerance', 'geodesic'], c.variant);

-- The check that fails the run: the tolerance's polygons lose at most the tolerance of each circle's area (with
-- 2% for the reference's own deficit and rounding), as CircleVertices promises.
SELECT CASE WHEN max(abs(c.polygon / r.polygon - 1)) <= :tolerance * 1.02
            THEN format('equality: tolerance polygons within %s of the reference area: EQUAL', :'tolerance')
            ELSE format('equality: a tolerance polygon misses %s of its area, over %s: DIFFERENT',
                        max(abs(c.polygon / r.polygon - 1)), :'tolerance') END AS check
FROM covered c JOIN covered r ON r.variant = 'reference' AND (r.layer, r.id, r.radius) = (c.layer, c.id, c.radius)
WHERE c.variant = 'tolerance' \gset
\echo :check
SELECT :'check' LIKE '%: EQUAL' AS equal \gset
\if :equal
\else
  DO $$ BEGIN RAISE EXCEPTION 'the tolerance polygons miss more than the tolerance'; END $$;
\endif

\echo Vertices per circle as drawn:
SELECT variant, min(ST_NPoints(g) - 1) AS vertices_min, max(ST_NPoints(g) - 1) AS vertices_max
FROM circles GROUP BY variant ORDER BY 2;
