package ca.cmp.hub.geo.shapefile;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.algorithm.RayCrossingCounter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads the main file ({@code .shp}) of an ESRI shapefile of polygons, record by record, as the ESRI Shapefile
 * Technical Description (July 1998) lays it out: a 100-byte header (file code 9994 and file length in 16-bit
 * words, big-endian; version 1000 and shape type, little-endian), then records of a big-endian header (record
 * number, content length in 16-bit words) and little-endian content.
 *
 * <p>Shape types read: Polygon (5), PolygonZ (15) and PolygonM (25); Z and M are dropped (census boundaries are
 * flat). Any other type in the file header is refused at once. Coordinates come out as stored, in the file's own
 * CRS (its {@code .prj}, see {@link PrjReader}); no reprojection happens here.
 *
 * <p>Rings are classified as the format defines them: a clockwise ring (negative signed area with y up) is an
 * outer ring, a counter-clockwise one is a hole; each hole goes to the smallest outer ring that contains it. A
 * hole that no outer ring contains is taken as an outer ring: some writers ignore the orientation rule, and
 * reading their rings as land is what every other reader does. Rings enclosing no area add no land and are
 * skipped. Self-intersections are not checked here (the caller repairs or rejects).
 *
 * <p>Problems confined to one record (a ring of fewer than 4 points, a ring that is not closed, parts that do
 * not fit the record) come back as that record's {@link ShapeRecord#problem()}; reading goes on, since the record
 * header still frames the next one. A file that ends inside a record, or before the length its header declares,
 * throws {@link ShapefileException}.
 */
public final class ShpReader implements Closeable {

    public static final int NULL = 0;
    public static final int POLYGON = 5;
    public static final int POLYGON_Z = 15;
    public static final int POLYGON_M = 25;
    private static final int FILE_CODE = 9994;
    private static final int HEADER_BYTES = 100;
    /** No census area needs more: a record beyond this is a corrupt length, not a boundary. */
    private static final int MAX_RECORD_BYTES = 512 << 20;

    /**
     * One record. {@code geometry} is a Polygon or MultiPolygon in the file's CRS; null for a null shape or
     * when {@code problem} says why the record cannot be used.
     *
     * @param number 1-based position of the record in the file (as the .dbf row it pairs with)
     */
    public record ShapeRecord(int number, Geometry geometry, String problem) {
    }

    private final String fileName;
    private final InputStream in;
    private final GeometryFactory factory;
    private final int shapeType;
    private final long declaredBytes;
    private long position = HEADER_BYTES;
    private int records;

    /**
     * Reads the header.
     *
     * @param fileName for messages
     * @param in       the .shp bytes from the start; closed by {@link #close()}
     * @param factory  builds the geometries (its SRID should be the .prj's)
     * @throws ShapefileException if the header is not a polygon shapefile's
     */
    public ShpReader(String fileName, InputStream in, GeometryFactory factory) throws IOException {
        this.fileName = fileName;
        this.in = new BufferedInputStream(in, 1 << 16);
        this.factory = factory;
        byte[] header = new byte[HEADER_BYTES];
        int read = this.in.readNBytes(header, 0, HEADER_BYTES);
        if (read < HEADER_BYTES) {
            throw new ShapefileException(fileName + ": " + read + " bytes is too short for a shapefile (the header "
                    + "alone is 100)");
        }
        ByteBuffer big = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer little = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (big.getInt(0) != FILE_CODE) {
            throw new ShapefileException(fileName + ": not a shapefile (file code " + big.getInt(0) + ", not 9994)");
        }
        declaredBytes = 2L * Integer.toUnsignedLong(big.getInt(24));
        shapeType = little.getInt(32);
        if (shapeType != POLYGON && shapeType != POLYGON_Z && shapeType != POLYGON_M) {
            throw new ShapefileException(fileName + ": holds " + typeName(shapeType) + " (shape type " + shapeType
                    + "); census boundaries must be polygons (type 5, 15 or 25)");
        }
    }

    public int shapeType() {
        return shapeType;
    }

    /** The next record, or null after the last. */
    public ShapeRecord next() throws IOException {
        if (position >= declaredBytes) {
            return null;
        }
        int number = records + 1;
        byte[] recordHeader = in.readNBytes(8);
        if (recordHeader.length == 0) {
            throw new ShapefileException(fileName + ": truncated: the header says " + declaredBytes
                    + " bytes but the file ends at " + position + ", after record " + records);
        }
        if (recordHeader.length < 8) {
            throw new ShapefileException(fileName + ": record " + number + " is cut off in its header; the file is "
                    + "truncated");
        }
        long contentBytes = 2L * Integer.toUnsignedLong(ByteBuffer.wrap(recordHeader).order(ByteOrder.BIG_ENDIAN)
                .getInt(4));
        if (contentBytes < 4 || contentBytes > MAX_RECORD_BYTES || position + 8 + contentBytes > declaredBytes) {
            throw new ShapefileException(fileName + ": record " + number + " declares " + contentBytes
                    + " bytes of content, which does not fit the file (" + declaredBytes + " bytes); it is corrupt");
        }
        byte[] content = in.readNBytes((int) contentBytes);
        if (content.length < contentBytes) {
            throw new ShapefileException(fileName + ": record " + number + " is cut off after " + content.length
                    + " of its " + contentBytes + " bytes; the file is truncated");
        }
        position += 8 + contentBytes;
        records++;
        ByteBuffer c = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        int type = c.getInt(0);
        if (type == NULL) {
            return new ShapeRecord(number, null, "has no geometry (a null shape)");
        }
        if (type != shapeType) {
            return new ShapeRecord(number, null, "is a " + typeName(type) + " in a file of " + typeName(shapeType));
        }
        return polygon(number, c);
    }

    private ShapeRecord polygon(int number, ByteBuffer c) {
        // Content: type (4), box (32), numParts (4), numPoints (4), parts[numParts] (4 each), points (16 each).
        if (c.limit() < 44) {
            return new ShapeRecord(number, null, "is " + c.limit() + " bytes, too short for a polygon");
        }
        int parts = c.getInt(36);
        int points = c.getInt(40);
        if (parts < 1 || points < 0 || 44L + 4L * parts + 16L * points > c.limit()) {
            return new ShapeRecord(number, null, "declares " + parts + " parts and " + points + " points, which do "
                    + "not fit its " + c.limit() + " bytes");
        }
        int[] starts = new int[parts + 1];
        for (int i = 0; i < parts; i++) {
            starts[i] = c.getInt(44 + 4 * i);
        }
        starts[parts] = points;
        int pointsAt = 44 + 4 * parts;
        List<Coordinate[]> shells = new ArrayList<>();
        List<Coordinate[]> holes = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int from = starts[part];
            int to = starts[part + 1];
            String ring = "ring " + (part + 1) + " of " + parts;
            if (from < 0 || to > points || to < from || (part == 0 && from != 0)) {
                return new ShapeRecord(number, null, ring + " starts at point " + from
                        + ", out of order or outside the record's " + points + " points");
            }
            if (to - from < 4) {
                return new ShapeRecord(number, null, ring + " has " + (to - from) + " points; a ring needs at least 4");
            }
            Coordinate[] coordinates = new Coordinate[to - from];
            for (int i = from; i < to; i++) {
                double x = c.getDouble(pointsAt + 16 * i);
                double y = c.getDouble(pointsAt + 16 * i + 8);
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    return new ShapeRecord(number, null, ring + " has a point that is not a number at position "
                            + (i - from + 1));
                }
                coordinates[i - from] = new Coordinate(x, y);
            }
            if (!coordinates[0].equals2D(coordinates[coordinates.length - 1])) {
                return new ShapeRecord(number, null, ring + " is not closed: it starts at " + text(coordinates[0])
                        + " and ends at " + text(coordinates[coordinates.length - 1]));
            }
            double signedArea = Area.ofRingSigned(coordinates);
            if (signedArea == 0) {
                continue;
            }
            // JTS's signed area is positive for clockwise rings: the shapefile's outer rings.
            (signedArea > 0 ? shells : holes).add(coordinates);
        }
        return new ShapeRecord(number, assemble(number, shells, holes), null);
    }

    private Geometry assemble(int number, List<Coordinate[]> shells, List<Coordinate[]> holes) {
        List<List<LinearRing>> holesOf = new ArrayList<>();
        double[] shellAreas = new double[shells.size()];
        for (int i = 0; i < shells.size(); i++) {
            holesOf.add(new ArrayList<>());
            shellAreas[i] = Area.ofRing(shells.get(i));
        }
        List<Coordinate[]> orphans = new ArrayList<>();
        for (Coordinate[] hole : holes) {
            int best = -1;
            for (int i = 0; i < shells.size(); i++) {
                if ((best < 0 || shellAreas[i] < shellAreas[best]) && contains(shells.get(i), hole)) {
                    best = i;
                }
            }
            if (best < 0) {
                orphans.add(hole);
            } else {
                holesOf.get(best).add(factory.createLinearRing(hole));
            }
        }
        List<Polygon> polygons = new ArrayList<>();
        for (int i = 0; i < shells.size(); i++) {
            polygons.add(factory.createPolygon(factory.createLinearRing(shells.get(i)),
                    holesOf.get(i).toArray(LinearRing[]::new)));
        }
        for (Coordinate[] orphan : orphans) {
            polygons.add(factory.createPolygon(orphan));
        }
        if (polygons.isEmpty()) {
            return null;
        }
        return polygons.size() == 1 ? polygons.get(0) : factory.createMultiPolygon(polygons.toArray(Polygon[]::new));
    }

    /** Whether the ring {@code inner} lies in {@code outer}: its first vertex not on outer's boundary is inside. */
    private static boolean contains(Coordinate[] outer, Coordinate[] inner) {
        for (Coordinate p : inner) {
            int location = RayCrossingCounter.locatePointInRing(p, outer);
            if (location != Location.BOUNDARY) {
                return location == Location.INTERIOR;
            }
        }
        return false;
    }

    private static String text(Coordinate c) {
        return "(" + c.x + ", " + c.y + ")";
    }

    /** The name the Technical Description gives a shape type. */
    public static String typeName(int type) {
        return switch (type) {
            case 0 -> "Null shape";
            case 1 -> "Point";
            case 3 -> "PolyLine";
            case 5 -> "Polygon";
            case 8 -> "MultiPoint";
            case 11 -> "PointZ";
            case 13 -> "PolyLineZ";
            case 15 -> "PolygonZ";
            case 18 -> "MultiPointZ";
            case 21 -> "PointM";
            case 23 -> "PolyLineM";
            case 25 -> "PolygonM";
            case 28 -> "MultiPointM";
            case 31 -> "MultiPatch";
            default -> "unknown shape type " + type;
        };
    }

    /** Records read so far. */
    public int records() {
        return records;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
