package ca.cmp.hub.geo.shapefile;

/**
 * A shapefile part (.shp, .dbf, .prj) that cannot be read as a whole: truncated, not the format it claims, or in
 * a coordinate reference system this reader cannot name. The message starts with the file name and, where one
 * is to blame, the record number.
 */
public class ShapefileException extends RuntimeException {

    public ShapefileException(String message) {
        super(message);
    }
}
