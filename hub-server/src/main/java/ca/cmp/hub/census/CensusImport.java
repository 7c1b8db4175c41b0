package ca.cmp.hub.census;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to load as one census dataset: a boundary file (GeoJSON, GeoPackage or a zipped ESRI shapefile, as
 * Statistics Canada publishes them) and where each area's age counts come from.
 *
 * @param datasetId        stable id of the layer, e.g. {@code cd-2016} (reloading replaces it)
 * @param level            geography level of every area
 * @param title            human title shown with results
 * @param vintage          census of the counts and the boundaries, e.g. "2011 Census counts, 2016 boundaries"
 * @param source           publisher and product, for the provenance of every result
 * @param licence          licence text to credit
 * @param boundaries       the boundary file; its CRS is the file's own (see {@link Format}); CRS84, EPSG:4326 and
 *                         EPSG:4269 are taken as lon/lat, any other EPSG code is transformed by PostGIS
 * @param format           how {@code boundaries} is written; null: by its name ({@link Format#of(Path)})
 * @param layer            the GeoPackage feature table, or the shapefile in a zip holding several (its name
 *                         without {@code .shp}); null when the file holds one
 * @param codeProperty     feature property (shapefile and GeoPackage: column) holding the area's code (DGUID,
 *                         CDUID, neighbourhood id...); matched exactly, else ignoring case
 * @param nameProperty     feature property holding the area's name
 * @param province         two-letter province of every area, or null to read it off StatCan codes (PRUID prefix)
 * @param counts           where the age counts are
 * @param only             load only the features this selects (e.g. one province's areas of a national boundary
 *                         file, to pair with a provincial Census Profile); null: all
 */
public record CensusImport(String datasetId, Level level, String title, String vintage, String source,
        String licence, Path boundaries, Format format, String layer, String codeProperty, String nameProperty,
        String province, Counts counts, Selection only) {

    public CensusImport {
        format = format == null ? Format.of(boundaries) : format;
    }

    /** A boundary file whose format its name tells and that holds one layer. */
    public CensusImport(String datasetId, Level level, String title, String vintage, String source, String licence,
            Path boundaries, String codeProperty, String nameProperty, String province, Counts counts) {
        this(datasetId, level, title, vintage, source, licence, boundaries, null, null, codeProperty, nameProperty,
                province, counts, null);
    }

    /**
     * The features whose {@code field} holds one of {@code values}, e.g. {@code PRUID} in {@code ["35"]}: Ontario's
     * dissemination areas of the national boundary file. Features left out are counted, not checked.
     */
    public record Selection(String field, java.util.Set<String> values) {

        boolean includes(BoundaryFeature feature) {
            // A feature without the field is left out (an immutable set's contains(null) would throw).
            String value = feature.attribute(field);
            return value != null && values.contains(value);
        }
    }

    public enum Level { PROVINCE, CENSUS_DIVISION, CENSUS_SUBDIVISION, NEIGHBOURHOOD, DISSEMINATION_AREA }

    /** The boundary file formats read. */
    public enum Format {
        /** A FeatureCollection; CRS from its {@code crs} member, else RFC 7946 lon/lat. */
        GEOJSON,
        /** An OGC GeoPackage; CRS from {@code gpkg_spatial_ref_sys} (Statistics Canada's: EPSG:3347). */
        GEOPACKAGE,
        /**
         * An ESRI shapefile: a {@code .zip} of {@code .shp}, {@code .shx}, {@code .dbf}, {@code .prj} (and
         * {@code .cpg}) as Statistics Canada distributes its boundary files, or the {@code .shp} beside them.
         */
        SHAPEFILE;

        /** By the file's extension: .geojson/.json, .gpkg, .zip/.shp; null when the name says nothing. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".geojson") || name.endsWith(".json")) {
                return GEOJSON;
            }
            if (name.endsWith(".gpkg")) {
                return GEOPACKAGE;
            }
            if (name.endsWith(".zip") || name.endsWith(".shp")) {
                return SHAPEFILE;
            }
            return null;
        }
    }

    /** Where the counts of each area are found. */
    public sealed interface Counts {
    }

    /**
     * In the boundary file's own feature properties. Keys of {@code mapping}: {@code total}, {@code age5to9},
     * {@code age10to14}, {@code age15to19}, optionally {@code age6to18} (exact); values: property names.
     */
    public record InProperties(Map<String, String> mapping) implements Counts {
    }

    /**
     * In a CSV joined on {@code codeColumn} = the boundary's code; {@code mapping} as for {@link InProperties}
     * but naming columns. Rows may be filtered to one geography level by {@code levelColumn} = {@code levelValue}.
     */
    public record InCsv(Path csv, String codeColumn, String levelColumn, String levelValue,
            Map<String, String> mapping) implements Counts {
    }

    /**
     * In an official Statistics Canada Census Profile CSV, joined on its {@code DGUID} = the boundary's code
     * property (the boundary files StatCan publishes carry a {@code DGUID} column).
     */
    public record InCensusProfile(Path csv) implements Counts {
    }
}
