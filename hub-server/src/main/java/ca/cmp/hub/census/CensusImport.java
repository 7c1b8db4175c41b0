package ca.cmp.hub.census;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to load as one census dataset: a boundary file (GeoJSON FeatureCollection) and where each area's age
 * counts come from.
 *
 * @param datasetId        stable id of the layer, e.g. {@code cd-2016} (reloading replaces it)
 * @param level            geography level of every area
 * @param title            human title shown with results
 * @param vintage          census of the counts and the boundaries, e.g. "2011 Census counts, 2016 boundaries"
 * @param source           publisher and product, for the provenance of every result
 * @param licence          licence text to credit
 * @param boundaries       GeoJSON file; CRS from its {@code crs} member (CRS84/EPSG:4326/EPSG:4269 are taken as
 *                         lon/lat; any other EPSG code is transformed by PostGIS)
 * @param codeProperty     feature property holding the area's code (DGUID, CDUID, neighbourhood id...)
 * @param nameProperty     feature property holding the area's name
 * @param province         two-letter province of every area, or null to read it off StatCan codes (PRUID prefix)
 * @param counts           where the age counts are
 */
public record CensusImport(String datasetId, Level level, String title, String vintage, String source,
        String licence, Path boundaries, String codeProperty, String nameProperty, String province, Counts counts) {

    public enum Level { PROVINCE, CENSUS_DIVISION, CENSUS_SUBDIVISION, NEIGHBOURHOOD, DISSEMINATION_AREA }

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
