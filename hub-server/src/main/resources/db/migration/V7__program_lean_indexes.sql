-- Every program write maintains every index on program; these cost each insert and serve no query:
-- program_partnership_idx and program_source_idx lead with partnership_id, as the unique (partnership_id,
-- source_id) index does, which the planner uses for every partnership filter (the merge's read of what a
-- partnership holds, activeBy, counts) and for the foreign key's checks from partnership. Organizations and
-- explicit service areas are absent from most program rows (a radius around their sites is the norm): indexing
-- only the rows that have them keeps those lookups (organization_id = …, spatial tests on service_area, both
-- implying NOT NULL) and costs the others nothing.
DROP INDEX program_partnership_idx;
DROP INDEX program_source_idx;
DROP INDEX program_organization_idx;
CREATE INDEX program_organization_idx ON program (organization_id) WHERE organization_id IS NOT NULL;
DROP INDEX program_service_area_gix;
CREATE INDEX program_service_area_gix ON program USING gist (service_area) WHERE service_area IS NOT NULL;
