package ca.cmp.hub.coverage.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import net.postgis.jdbc.jts.JtsBinaryParser;
import net.postgis.jdbc.jts.JtsGeometry;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBReader;
import org.postgresql.PGConnection;

/**
 * How the kept inputs' read of a census layer turns PostGIS geometries into JTS, three ways on the same rows
 * (run by bench/scenario.sh; not a unit test): the hub's hand path ({@code ST_AsBinary} bytes and JTS'
 * {@code WKBReader}), PostGIS JDBC's {@code JtsGeometry} type (the geometry column as such, sent as hex EWKB
 * text), and PostGIS JDBC's {@code JtsBinaryParser} on {@code ST_AsEWKB} bytes. Each read is the whole layer,
 * projected to EPSG:3347 by PostGIS as the hub reads it; median of 5 after 2 unmeasured. The geometries must be
 * equal (same coordinates) for the comparison to count.
 *
 * <p>usage: GeometryReadBench JDBC_URL DATASET
 */
public final class GeometryReadBench {

    private GeometryReadBench() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "hub", "")) {
            c.unwrap(PGConnection.class).addDataType("geometry", JtsGeometry.class);
            String dataset = args[1].replace("'", "");
            String from = " FROM census_area WHERE dataset_id = '" + dataset + "' ORDER BY code";
            WKBReader wkb = new WKBReader(CoverageInputs.LAMBERT);
            JtsBinaryParser parser = new JtsBinaryParser();
            Run hand = run(c, "SELECT ST_AsBinary(ST_Transform(boundary, 3347))" + from, rs -> read(() ->
                    wkb.read(rs.getBytes(1))));
            Run typed = run(c, "SELECT ST_Transform(boundary, 3347)" + from, rs -> read(() ->
                    ((JtsGeometry) rs.getObject(1)).getGeometry()));
            Run parsed = run(c, "SELECT ST_AsEWKB(ST_Transform(boundary, 3347))" + from, rs -> read(() ->
                    parser.parse(rs.getBytes(1))));
            boolean same = hand.geometries().size() == typed.geometries().size()
                    && hand.geometries().size() == parsed.geometries().size();
            for (int i = 0; same && i < hand.geometries().size(); i++) {
                same = hand.geometries().get(i).equalsExact(typed.geometries().get(i))
                        && hand.geometries().get(i).equalsExact(parsed.geometries().get(i));
            }
            System.out.printf(Locale.ROOT, "== geometries to JTS, %s: %d areas read, projected by PostGIS%n",
                    dataset, hand.geometries().size());
            System.out.printf(Locale.ROOT, "hand path (ST_AsBinary + JTS WKBReader): median %d ms%n", hand.ms());
            System.out.printf(Locale.ROOT, "PostGIS JDBC JtsGeometry (geometry column, hex EWKB text): median %d ms "
                    + "(%.2fx the hand path)%n", typed.ms(), (double) typed.ms() / hand.ms());
            System.out.printf(Locale.ROOT, "PostGIS JDBC JtsBinaryParser (ST_AsEWKB bytes): median %d ms "
                    + "(%.2fx the hand path)%n", parsed.ms(), (double) parsed.ms() / hand.ms());
            System.out.printf(Locale.ROOT, "same geometries all three ways: %s%n", same);
        }
    }

    interface Reader {
        Geometry read() throws Exception;
    }

    private static Geometry read(Reader r) {
        try {
            return r.read();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Run(long ms, List<Geometry> geometries) {
    }

    private static Run run(Connection c, String sql, Function<ResultSet, Geometry> read) throws Exception {
        long[] ms = new long[7];
        List<Geometry> last = null;
        for (int i = 0; i < ms.length; i++) {
            List<Geometry> out = new ArrayList<>();
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(read.apply(rs));
                }
            }
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            last = out;
        }
        long[] measured = Arrays.copyOfRange(ms, 2, ms.length);
        Arrays.sort(measured);
        return new Run(measured[measured.length / 2], last);
    }
}
