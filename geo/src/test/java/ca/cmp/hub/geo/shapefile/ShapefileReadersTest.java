package ca.cmp.hub.geo.shapefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * The readers' rules on hand-laid bytes, byte offsets as the ESRI Technical Description and the dBase III layout
 * give them. (Files written by an independent writer, GDAL's ogr2ogr, are read in the server's census tests.)
 */
class ShapefileReadersTest {

    static final GeometryFactory FACTORY = new GeometryFactory();

    // Outer rings clockwise (y up), holes counter-clockwise.
    static final double[][] BIG_CW = {{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}};
    static final double[][] HOLE_CCW = {{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}};
    static final double[][] ISLAND_CW = {{20, 0}, {20, 1}, {21, 1}, {21, 0}, {20, 0}};

    @Test
    void ringsAreShellsOrHolesByOrientationAndHolesGoToTheShellAroundThem() throws Exception {
        byte[] shp = shp(ShpReader.POLYGON, polygon(BIG_CW, HOLE_CCW, ISLAND_CW), polygon(ISLAND_CW));
        try (ShpReader reader = new ShpReader("t.shp", new ByteArrayInputStream(shp), FACTORY)) {
            ShpReader.ShapeRecord first = reader.next();
            assertThat(first.problem()).isNull();
            assertThat(first.geometry()).isInstanceOf(MultiPolygon.class);
            Geometry g = first.geometry();
            assertThat(g.getNumGeometries()).isEqualTo(2);
            Polygon withHole = (Polygon) (g.getGeometryN(0).getArea() > 50 ? g.getGeometryN(0) : g.getGeometryN(1));
            assertThat(withHole.getNumInteriorRing()).isEqualTo(1);
            assertThat(g.getArea()).isEqualTo(100 - 4 + 1);
            assertThat(g.isValid()).isTrue();
            ShpReader.ShapeRecord second = reader.next();
            assertThat(second.number()).isEqualTo(2);
            assertThat(second.geometry()).isInstanceOf(Polygon.class);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aHoleNoShellContainsIsReadAsLandAsOtherReadersDo() throws Exception {
        byte[] shp = shp(ShpReader.POLYGON, polygon(HOLE_CCW));
        try (ShpReader reader = new ShpReader("t.shp", new ByteArrayInputStream(shp), FACTORY)) {
            assertThat(reader.next().geometry().getArea()).isEqualTo(4);
        }
    }

    @Test
    void brokenRingsAreThatRecordsProblemAndReadingGoesOn() throws Exception {
        double[][] open = {{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 1}};
        double[][] three = {{0, 0}, {0, 10}, {0, 0}};
        byte[] shp = shp(ShpReader.POLYGON, polygon(open), polygon(BIG_CW, three), polygon(BIG_CW), nullShape());
        try (ShpReader reader = new ShpReader("t.shp", new ByteArrayInputStream(shp), FACTORY)) {
            assertThat(reader.next().problem()).isEqualTo("ring 1 of 1 is not closed: it starts at (0.0, 0.0) and "
                    + "ends at (0.0, 1.0)");
            assertThat(reader.next().problem()).isEqualTo("ring 2 of 2 has 3 points; a ring needs at least 4");
            assertThat(reader.next().problem()).isNull();
            ShpReader.ShapeRecord empty = reader.next();
            assertThat(empty.number()).isEqualTo(4);
            assertThat(empty.problem()).contains("null shape");
        }
    }

    @Test
    void zAndMAreDropped() throws Exception {
        byte[] plain = polygon(BIG_CW);
        // PolygonZ: the same content with type 15, then Z range and one Z per point.
        ByteBuffer z = ByteBuffer.allocate(plain.length + 16 + 8 * 5).order(ByteOrder.LITTLE_ENDIAN);
        z.put(plain).putDouble(0).putDouble(5);
        for (int i = 0; i < 5; i++) {
            z.putDouble(i);
        }
        z.putInt(0, ShpReader.POLYGON_Z);
        try (ShpReader reader = new ShpReader("z.shp", new ByteArrayInputStream(shp(ShpReader.POLYGON_Z, z.array())),
                FACTORY)) {
            assertThat(reader.next().geometry().getArea()).isEqualTo(100);
        }
    }

    @Test
    void aTruncatedFileOrAnotherShapeTypeIsRefusedNamingTheFileAndRecord() throws Exception {
        byte[] shp = shp(ShpReader.POLYGON, polygon(BIG_CW), polygon(BIG_CW));
        byte[] cut = Arrays.copyOf(shp, shp.length - 20);
        try (ShpReader reader = new ShpReader("cut.shp", new ByteArrayInputStream(cut), FACTORY)) {
            reader.next();
            assertThatThrownBy(reader::next).isInstanceOf(ShapefileException.class)
                    .hasMessageStartingWith("cut.shp: record 2 is cut off after");
        }
        byte[] points = shp(1);
        assertThatThrownBy(() -> new ShpReader("p.shp", new ByteArrayInputStream(points), FACTORY))
                .hasMessage("p.shp: holds Point (shape type 1); census boundaries must be polygons (type 5, 15 or 25)");
        assertThatThrownBy(() -> new ShpReader("x.shp", new ByteArrayInputStream(new byte[40]), FACTORY))
                .hasMessageContaining("too short");
    }

    @Test
    void dbaseValuesAreDecodedByCodePageLanguageDriverOrBestGuess() throws Exception {
        byte[] latin = dbf(0x57, "NAME", "Île-d'Orléans".getBytes(Charset.forName("windows-1252")));
        try (DbfReader reader = new DbfReader("t.dbf", new ByteArrayInputStream(latin), null)) {
            assertThat(reader.fields()).extracting(DbfReader.Field::name).containsExactly("NAME", "POP");
            DbfReader.Row row = reader.next();
            assertThat(row.values()).containsEntry("NAME", "Île-d'Orléans").containsEntry("POP", "1234");
            assertThat(reader.next()).isNull();
        }
        byte[] utf8 = dbf(0, "NAME", "Île-d'Orléans".getBytes(StandardCharsets.UTF_8));
        try (DbfReader reader = new DbfReader("t.dbf", new ByteArrayInputStream(utf8), null)) {
            assertThat(reader.next().values()).containsEntry("NAME", "Île-d'Orléans");
        }
        try (DbfReader reader = new DbfReader("t.dbf", new ByteArrayInputStream(utf8), DbfReader.codePage("UTF-8"))) {
            assertThat(reader.next().values()).containsEntry("NAME", "Île-d'Orléans");
        }
        assertThat(DbfReader.codePage("1252")).isEqualTo(Charset.forName("windows-1252"));
        assertThat(DbfReader.codePage("ANSI 1252")).isEqualTo(Charset.forName("windows-1252"));
        assertThat(DbfReader.codePage("ISO-8859-1")).isEqualTo(StandardCharsets.ISO_8859_1);
        byte[] cut = Arrays.copyOf(utf8, utf8.length - 10);
        try (DbfReader reader = new DbfReader("cut.dbf", new ByteArrayInputStream(cut), null)) {
            assertThatThrownBy(reader::next).hasMessageStartingWith("cut.dbf: record 1 is cut off after");
        }
    }

    @Test
    void projectionFilesAreNamedByAuthorityOrByTheirParameters() {
        String statCan2021 = "PROJCS[\"NAD_1983_Statistics_Canada_Lambert\",GEOGCS[\"GCS_North_American_1983\","
                + "DATUM[\"D_North_American_1983\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\","
                + "0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],"
                + "PARAMETER[\"False_Easting\",6200000.0],PARAMETER[\"False_Northing\",3000000.0],"
                + "PARAMETER[\"Central_Meridian\",-91.86666666666666],PARAMETER[\"Standard_Parallel_1\",49.0],"
                + "PARAMETER[\"Standard_Parallel_2\",77.0],PARAMETER[\"Latitude_Of_Origin\",63.390675],"
                + "UNIT[\"Meter\",1.0]]";
        assertThat(PrjReader.epsg("a.prj", statCan2021)).isEqualTo(3347);
        // The 2016 files name it generically; the parameters are what count.
        assertThat(PrjReader.epsg("b.prj", statCan2021.replace("NAD_1983_Statistics_Canada_Lambert",
                "PCS_Lambert_Conformal_Conic"))).isEqualTo(3347);
        assertThat(PrjReader.epsg("c.prj", "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\","
                + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
                + "UNIT[\"Degree\",0.0174532925199433]]")).isEqualTo(4269);
        assertThat(PrjReader.epsg("d.prj", "PROJCS[\"NAD83 / UTM zone 17N\",GEOGCS[\"NAD83\",DATUM["
                + "\"North_American_Datum_1983\",SPHEROID[\"GRS 1980\",6378137,298.257222101]],PRIMEM[\"Greenwich\",0],"
                + "UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
                + "PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",-81],"
                + "PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],"
                + "PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]")).isEqualTo(26917);
        assertThat(PrjReader.epsg("e.prj", "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
                + "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],"
                + "AUTHORITY[\"EPSG\",\"4326\"]]")).isEqualTo(4326);
        assertThatThrownBy(() -> PrjReader.epsg("f.prj", statCan2021.replace("North_American_1983",
                "North_American_1927"))).isInstanceOf(ShapefileException.class)
                .hasMessageStartingWith("f.prj: unknown coordinate system \"NAD_1983_Statistics_Canada_Lambert\"");
        assertThatThrownBy(() -> PrjReader.epsg("g.prj", "PROJCS[\"x\",")).hasMessageStartingWith(
                "g.prj: not a WKT coordinate system definition");
    }

    /**
     * The reader's table against an independent one: each system's parameters as proj4j's EPSG database has
     * them, written out in ESRI's dialect (no authority), must be named back with their code.
     */
    @Test
    void everyProjectedSystemTheReaderKnowsHasProj4jsParameters() {
        org.locationtech.proj4j.CRSFactory crs = new org.locationtech.proj4j.CRSFactory();
        java.util.List<Integer> codes = new java.util.ArrayList<>(java.util.List.of(3347, 3978, 3979));
        for (int zone = 7; zone <= 22; zone++) {
            codes.add(26900 + zone);
        }
        for (int code : codes) {
            org.locationtech.proj4j.proj.Projection p = crs.createFromName("EPSG:" + code).getProjection();
            boolean lambert = code < 26900;
            String datum = code == 3979 ? "D_North_American_1983_CSRS" : "D_North_American_1983";
            String wkt = "PROJCS[\"x\",GEOGCS[\"g\",DATUM[\"" + datum + "\",SPHEROID[\"GRS_1980\",6378137.0,"
                    + "298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\""
                    + (lambert ? "Lambert_Conformal_Conic" : "Transverse_Mercator") + "\"],"
                    + "PARAMETER[\"False_Easting\"," + p.getFalseEasting() + "],"
                    + "PARAMETER[\"False_Northing\"," + p.getFalseNorthing() + "],"
                    + "PARAMETER[\"Central_Meridian\"," + p.getProjectionLongitudeDegrees() + "],"
                    + (lambert ? "PARAMETER[\"Standard_Parallel_1\"," + p.getProjectionLatitude1Degrees() + "],"
                            + "PARAMETER[\"Standard_Parallel_2\"," + p.getProjectionLatitude2Degrees() + "],"
                            : "PARAMETER[\"Scale_Factor\"," + p.getScaleFactor() + "],")
                    + "PARAMETER[\"Latitude_Of_Origin\"," + p.getProjectionLatitudeDegrees() + "],UNIT[\"Meter\",1.0]]";
            assertThat(PrjReader.epsg("p.prj", wkt)).as("EPSG:%d from %s", code, wkt).isEqualTo(code);
        }
    }

    // --- bytes laid out by the format descriptions ---

    static byte[] polygon(double[][]... rings) {
        int points = 0;
        for (double[][] r : rings) {
            points += r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * rings.length + 16 * points).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ShpReader.POLYGON);
        b.putDouble(0).putDouble(0).putDouble(0).putDouble(0);
        b.putInt(rings.length).putInt(points);
        int start = 0;
        for (double[][] r : rings) {
            b.putInt(start);
            start += r.length;
        }
        for (double[][] r : rings) {
            for (double[] p : r) {
                b.putDouble(p[0]).putDouble(p[1]);
            }
        }
        return b.array();
    }

    static byte[] nullShape() {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0).array();
    }

    static byte[] shp(int type, byte[]... contents) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        int number = 1;
        for (byte[] content : contents) {
            records.writeBytes(ByteBuffer.allocate(8).putInt(number++).putInt(content.length / 2).array());
            records.writeBytes(content);
        }
        ByteBuffer header = ByteBuffer.allocate(100);
        header.putInt(0, 9994).putInt(24, (100 + records.size()) / 2);
        header.order(ByteOrder.LITTLE_ENDIAN).putInt(28, 1000).putInt(32, type);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header.array());
        all.writeBytes(records.toByteArray());
        return all.toByteArray();
    }

    /** One record: a 20-byte C field holding {@code name}, and a 6-byte N field holding 1234. */
    static byte[] dbf(int languageDriver, String field, byte[] name) {
        int headerLength = 32 + 2 * 32 + 1;
        int recordLength = 1 + 20 + 6;
        ByteBuffer b = ByteBuffer.allocate(headerLength + recordLength + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 3).putInt(4, 1).putShort(8, (short) headerLength).putShort(10, (short) recordLength)
                .put(29, (byte) languageDriver);
        descriptor(b, 32, field, 'C', 20);
        descriptor(b, 64, "POP", 'N', 6);
        b.put(96, (byte) 0x0D);
        int at = headerLength;
        b.put(at++, (byte) ' ');
        for (int i = 0; i < 20; i++) {
            b.put(at + i, i < name.length ? name[i] : (byte) ' ');
        }
        at += 20;
        byte[] pop = "  1234".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 6; i++) {
            b.put(at + i, pop[i]);
        }
        b.put(headerLength + recordLength, (byte) 0x1A);
        return b.array();
    }

    static void descriptor(ByteBuffer b, int at, String name, char type, int length) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n.length; i++) {
            b.put(at + i, n[i]);
        }
        b.put(at + 11, (byte) type).put(at + 16, (byte) length);
    }
}
