package ca.cmp.hub.census;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.geo.shapefile.PrjReader;
import ca.cmp.hub.geo.shapefile.ShapefileException;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageException;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureResultSet;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import mil.nga.sf.GeometryType;

/**
 * Reads a feature table of an OGC GeoPackage ({@code .gpkg}) of boundaries, opened read-only with the NGA
 * GeoPackage library. The table is {@code layer}, or the only feature table there is.
 *
 * <p>CRS: the table's entry in {@code gpkg_spatial_ref_sys}: its {@code organization_coordsys_id} when the
 * organization is EPSG (Statistics Canada's GeoPackages are EPSG:3347), else its WKT {@code definition} as
 * {@link PrjReader} names it; an undefined system (srs_id 0 or -1) is refused. Geometries are passed on as the
 * file's Well-Known Binary (Z and M are dropped on load); features are named by their {@code fid}.
 */
final class GeoPackageBoundaries implements BoundaryFile {

    private final String name;
    private final int srid;
    private final GeoPackage geoPackage;
    private final FeatureResultSet rows;
    private final List<String> columns;
    private final String geometryColumn;

    private GeoPackageBoundaries(String name, int srid, GeoPackage geoPackage, FeatureDao dao) {
        this.name = name;
        this.srid = srid;
        this.geoPackage = geoPackage;
        this.geometryColumn = dao.getGeometryColumnName();
        this.columns = new ArrayList<>(List.of(dao.getColumnNames()));
        this.columns.remove(geometryColumn);
        this.rows = dao.queryForAll();
    }

    static GeoPackageBoundaries open(Path file, String layer) {
        String name = file.getFileName().toString();
        GeoPackage geoPackage;
        try {
            // Read-only, without the library's extension check: a user's file may be named anything.
            geoPackage = GeoPackageManager.open(name, false, file.toFile(), false);
        } catch (GeoPackageException | IllegalArgumentException e) {
            throw new CensusLoadException(name + ": not a GeoPackage: " + e.getMessage());
        }
        try {
            List<String> tables = geoPackage.getFeatureTables();
            String table;
            if (layer != null && !layer.isBlank()) {
                table = tables.stream().filter(t -> t.equalsIgnoreCase(layer.strip())).findFirst().orElseThrow(
                        () -> new CensusLoadException("layer", name + ": no feature table " + layer + "; it has "
                                + (tables.isEmpty() ? "none" : String.join(", ", tables))));
            } else if (tables.size() == 1) {
                table = tables.get(0);
            } else {
                throw new CensusLoadException(tables.isEmpty() ? "boundaries" : "layer", name + (tables.isEmpty()
                        ? ": the GeoPackage has no feature table"
                        : ": the GeoPackage has several feature tables (" + String.join(", ", tables)
                                + "); name one in layer"));
            }
            FeatureDao dao = geoPackage.getFeatureDao(table);
            return new GeoPackageBoundaries(name + "!" + table, srid(name + "!" + table, dao.getSrs()), geoPackage,
                    dao);
        } catch (RuntimeException e) {
            geoPackage.close();
            if (e instanceof CensusLoadException) {
                throw e;
            }
            throw new CensusLoadException(name + ": cannot read the GeoPackage: " + e.getMessage());
        }
    }

    private static int srid(String name, SpatialReferenceSystem srs) {
        if (srs == null || srs.getSrsId() == 0 || srs.getSrsId() == -1) {
            throw new CensusLoadException(name + ": the table's coordinate system is undefined (srs_id "
                    + (srs == null ? "none" : srs.getSrsId()) + "); give it one, e.g. ogr2ogr -a_srs EPSG:3347");
        }
        if ("EPSG".equalsIgnoreCase(srs.getOrganization())) {
            return (int) srs.getOrganizationCoordsysId();
        }
        try {
            return PrjReader.epsg(name, srs.getDefinition());
        } catch (ShapefileException e) {
            throw new CensusLoadException(e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int srid() {
        return srid;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public BoundaryFeature next() throws IOException {
        if (!rows.moveToNext()) {
            return null;
        }
        FeatureRow row = rows.getRow();
        Map<String, String> attributes = new HashMap<>();
        for (String column : columns) {
            Object value = row.getValue(column);
            attributes.put(column, text(value));
        }
        String where = "feature fid " + row.getId();
        GeoPackageGeometryData data = row.getGeometry();
        if (data == null || data.isEmpty() || data.getGeometry() == null) {
            return new BoundaryFeature(where, attributes, new BoundaryFeature.Unusable("has no geometry"));
        }
        GeometryType type = data.getGeometry().getGeometryType();
        if (type != GeometryType.POLYGON && type != GeometryType.MULTIPOLYGON) {
            return new BoundaryFeature(where, attributes, new BoundaryFeature.Unusable(
                    "geometry must be a Polygon or MultiPolygon, got " + type));
        }
        return new BoundaryFeature(where, attributes, new BoundaryFeature.Wkb(data.getWkb()));
    }

    /** Integral numbers without ".0", so a code stored as REAL still joins. */
    private static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return value == null ? null : value.toString();
    }

    @Override
    public void close() {
        try {
            rows.close();
        } finally {
            geoPackage.close();
        }
    }
}
