package ca.cmp.hub.census;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import mil.nga.sf.GeometryType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Boundary files in the formats users download, written by writers independent of the hub's readers: GDAL's
 * ogr2ogr for shapefiles (and one GeoPackage), the NGA GeoPackage library for GeoPackages (coordinates projected
 * by PostGIS). The open data is converted in a temporary folder; nothing is copied into the repository.
 */
final class BoundaryFiles {

    private BoundaryFiles() {
    }

    /** {@code ogr2ogr} with these arguments; fails with GDAL's own message. */
    static void ogr2ogr(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ogr2ogr"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("ogr2ogr (Debian's gdal-bin) is needed to write independent test files; "
                    + "hub-server/scripts/install-native-services.sh installs it", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("ogr2ogr " + arguments + " failed: " + output);
        }
    }

    /**
     * {@code geojson} as a zipped ESRI shapefile in Statistics Canada Lambert (EPSG:3347), the way Statistics
     * Canada ships boundary files: {@code dir/name.zip} holding {@code name.shp/.shx/.dbf/.prj} (and the .cpg
     * GDAL writes for an explicit encoding).
     *
     * @param keep which of GDAL's files go into the zip, by extension (all when empty)
     */
    static Path shapefileZip(Path geojson, Path dir, String name, List<String> layerOptions, String... keep)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name + "-parts"));
        List<String> arguments = new ArrayList<>(List.of("-f", "ESRI Shapefile", "-t_srs", "EPSG:3347"));
        for (String option : layerOptions) {
            arguments.addAll(List.of("-lco", option));
        }
        arguments.addAll(List.of(folder.resolve(name + ".shp").toString(), geojson.toString()));
        ogr2ogr(arguments.toArray(String[]::new));
        return zip(folder, dir.resolve(name + ".zip"), keep);
    }

    static Path zip(Path folder, Path zip, String... keep) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String extension = file.getFileName().toString().replaceFirst(".*\\.", "");
                if (keep.length == 0 || List.of(keep).contains(extension)) {
                    out.putNextEntry(new ZipEntry(file.getFileName().toString()));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
        return zip;
    }

    /**
     * {@code geojson} (lon/lat) as a GeoPackage written by the NGA library, in EPSG:3347: the geometry projected
     * by PostGIS, the listed properties as columns (INTEGER or TEXT as in the GeoJSON).
     */
    static Path geoPackage(Path geojson, Path file, String table, List<String> properties, JdbcTemplate jdbc)
            throws Exception {
        JsonNode collection = JsonMapper.builder().build().readTree(geojson.toFile());
        JsonNode first = collection.get("features").get(0).get("properties");
        GeoPackageManager.create(file.toFile());
        try (GeoPackage geoPackage = GeoPackageManager.open(file.toFile())) {
            // The library has no definition of EPSG:3347 of its own: PostGIS's is registered.
            SpatialReferenceSystem srs = new SpatialReferenceSystem();
            srs.setSrsName("NAD83 / Statistics Canada Lambert");
            srs.setSrsId(3347);
            srs.setOrganization("EPSG");
            srs.setOrganizationCoordsysId(3347);
            srs.setDefinition(jdbc.queryForObject("SELECT srtext FROM spatial_ref_sys WHERE srid = 3347",
                    String.class));
            geoPackage.getSpatialReferenceSystemDao().create(srs);
            GeometryColumns geometry = new GeometryColumns();
            geometry.setTableName(table);
            geometry.setColumnName("geom");
            geometry.setGeometryType(GeometryType.MULTIPOLYGON);
            geometry.setZ((byte) 0);
            geometry.setM((byte) 0);
            geometry.setSrs(srs);
            List<FeatureColumn> columns = new ArrayList<>();
            for (String p : properties) {
                columns.add(FeatureColumn.createColumn(p, first.get(p).isNumber() ? GeoPackageDataType.INTEGER
                        : GeoPackageDataType.TEXT));
            }
            geoPackage.createFeatureTable(FeatureTableMetadata.create(geometry, columns));
            FeatureDao dao = geoPackage.getFeatureDao(table);
            for (JsonNode feature : collection.get("features")) {
                byte[] wkb = jdbc.queryForObject("SELECT ST_AsBinary(ST_Multi(ST_Transform(ST_SetSRID("
                        + "ST_GeomFromGeoJSON(?), 4326), 3347)))", byte[].class, feature.get("geometry").toString());
                FeatureRow row = dao.newRow();
                row.setGeometry(GeoPackageGeometryData.createFromWkb(srs.getSrsId(), wkb));
                for (String p : properties) {
                    JsonNode value = feature.get("properties").get(p);
                    row.setValue(p, value.isNumber() ? (Object) value.asLong() : value.asString());
                }
                dao.insert(row);
            }
        }
        return file;
    }

    /** Replaces bytes of one zip entry (the rest copied as is), to break a file on purpose. */
    static Path withEntry(Path zip, Path out, String extension, java.util.function.UnaryOperator<byte[]> change)
            throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(zip.toFile());
                ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : in.stream().toList()) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith("." + extension)) {
                    bytes = change.apply(bytes);
                    if (bytes == null) {
                        continue;
                    }
                }
                target.putNextEntry(new ZipEntry(entry.getName()));
                target.write(bytes);
                target.closeEntry();
            }
        }
        return out;
    }

    /**
     * Opens ring 1 of shapefile record {@code record} (1-based): moves its last point 1 m east, by the offsets
     * the ESRI Technical Description gives (record header 8 bytes; NumParts at 36 and NumPoints at 40 of the
     * content, then the part starts, then the points).
     */
    static byte[] openFirstRing(byte[] shp, int record) {
        ByteBuffer big = ByteBuffer.wrap(shp);
        ByteBuffer little = ByteBuffer.wrap(shp).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int at = 100;
        for (int r = 1; r < record; r++) {
            at += 8 + 2 * big.getInt(at + 4);
        }
        int content = at + 8;
        int parts = little.getInt(content + 36);
        int points = content + 44 + 4 * parts;
        int lastOfFirstRing = (parts == 1 ? little.getInt(content + 40) : little.getInt(content + 48)) - 1;
        int x = points + 16 * lastOfFirstRing;
        byte[] copy = shp.clone();
        ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(x, little.getDouble(x) + 1);
        return copy;
    }

    static Map<String, String> torontoBands() {
        return Map.of("total", "pop2016", "age5to9", "age_5_9", "age10to14", "age_10_14", "age15to19", "age_15_19");
    }
}
