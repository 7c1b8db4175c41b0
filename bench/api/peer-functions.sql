-- Bench only: what PostGraphile needs to answer the same two questions as the hub. PostGraphile has no
-- distance ordering or "programs with a site inside" built in; custom query functions are its idiomatic way.
-- Same SQL shape as the hub's (ST_DWithin on geography, nearest site, keyset order by distance then id).

-- The hub checks site -> program with statement triggers (migration V9), not a declared foreign key, and
-- PostGraphile derives relations (Program.sitesByProgramId) from declared keys only: a smart comment declares it.
-- See docs/references-as-triggers.md.
COMMENT ON TABLE site IS E'@foreignKey (program_id) references program (id)';

CREATE OR REPLACE FUNCTION programs_near(latitude float8, longitude float8, radius_km float8)
RETURNS SETOF program LANGUAGE sql STABLE AS $$
  SELECT p.* FROM (
    SELECT s.program_id,
           min(ST_Distance(s.location::geography, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography)) AS dist
    FROM site s
    WHERE ST_DWithin(s.location::geography, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography,
                     radius_km * 1000)
    GROUP BY s.program_id) n
  JOIN program p ON p.id = n.program_id
  WHERE p.status = 'ACTIVE'
  ORDER BY n.dist, p.id
$$;

CREATE OR REPLACE FUNCTION programs_within(area geometry)
RETURNS SETOF program LANGUAGE sql STABLE AS $$
  SELECT p.* FROM program p
  WHERE p.status = 'ACTIVE'
    AND EXISTS (SELECT 1 FROM site s WHERE s.program_id = p.id AND ST_Intersects(s.location, ST_SetSRID(area, 4326)))
  ORDER BY p.name, p.id
$$;
