package ca.cmp.hub.census;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** A boundary file open for reading: the EPSG code of its coordinates and its features, in file order. */
interface BoundaryFile extends Closeable {

    /** Name of the file, for messages. */
    String name();

    /** EPSG code of every feature's coordinates. */
    int srid();

    /**
     * The attribute columns every feature has (shapefile, GeoPackage), so a misnamed field is reported once for
     * the file; null when each feature has its own (GeoJSON).
     */
    List<String> columns();

    /** The next feature, or null after the last. */
    BoundaryFeature next() throws IOException;

    static BoundaryFile open(CensusImport spec) throws IOException {
        if (spec.format() == null) {
            throw new CensusLoadException("format", spec.boundaries().getFileName()
                    + ": the name does not tell the format (.geojson, .gpkg, .zip or .shp); say which");
        }
        return switch (spec.format()) {
            case GEOJSON -> GeoJsonBoundaries.open(spec.boundaries());
            case GEOPACKAGE -> GeoPackageBoundaries.open(spec.boundaries(), spec.layer());
            case SHAPEFILE -> ShapefileBoundaries.open(spec.boundaries(), spec.layer());
        };
    }
}
