package ca.cmp.hub.census;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.cmp.hub.opendata.OpenDataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The census layers of the open-data bundle ({@code shared/data/census}), as {@link CensusImport}s; loaded at
 * start-up when {@code hub.census.load-bundle} is set and a layer is missing.
 */
@Component
public class CensusBundle implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CensusBundle.class);
    static final String STATCAN = "Statistics Canada, 2011 Census of Population (98-311-XCB2011021)";
    static final String OGL_CANADA = "Contains information licensed under the Open Government Licence – Canada "
            + "(Statistics Canada)";

    private final CensusProperties properties;
    private final CensusLoader loader;
    private final JdbcTemplate jdbc;

    CensusBundle(CensusProperties properties, CensusLoader loader, JdbcTemplate jdbc) {
        this.properties = properties;
        this.loader = loader;
        this.jdbc = jdbc;
    }

    /** The bundle's three layers, reading from {@code data} (the {@code shared/data} directory). */
    public static List<CensusImport> layers(Path data) {
        Path census = data.resolve("census");
        Map<String, String> bands = Map.of("total", "total", "age5to9", "age_5_9", "age10to14", "age_10_14",
                "age15to19", "age_15_19", "age6to18", "age_6_18");
        return List.of(
                new CensusImport("provinces", CensusImport.Level.PROVINCE, "Provinces and territories",
                        "2011 Census counts; Natural Earth 1:50m outlines", STATCAN + "; Natural Earth",
                        OGL_CANADA + "; Natural Earth (public domain)", census.resolve("canada_provinces.geojson"),
                        "postal", "name", null,
                        new CensusImport.InCsv(census.resolve("canada_age_by_geography_2011.csv"), "geo_code",
                                "geo_level", "PR", bands)),
                new CensusImport("census-divisions", CensusImport.Level.CENSUS_DIVISION, "Census divisions",
                        "2011 Census counts; 2016 census division boundaries (simplified)", STATCAN, OGL_CANADA,
                        census.resolve("canada_census_divisions_youth.geojson"), "cduid", "cdname", null,
                        new CensusImport.InProperties(Map.of("total", "c2011_total", "age5to9", "c2011_age_5_9",
                                "age10to14", "c2011_age_10_14", "age15to19", "c2011_age_15_19",
                                "age6to18", "c2011_age_6_18"))),
                new CensusImport("toronto-neighbourhoods", CensusImport.Level.NEIGHBOURHOOD,
                        "City of Toronto neighbourhoods", "2016 Census counts; 140 social planning neighbourhoods",
                        "City of Toronto, Neighbourhood Profiles (2016 Census)",
                        "Contains information licensed under the Open Government Licence – Toronto",
                        census.resolve("toronto_neighbourhoods_youth.geojson"), "hood_id", "name", "ON",
                        new CensusImport.InProperties(Map.of("total", "pop2016", "age5to9", "age_5_9",
                                "age10to14", "age_10_14", "age15to19", "age_15_19"))));
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.loadBundle()) {
            return;
        }
        Optional<Path> data = OpenDataDirectory.find(properties.dataDir());
        if (data.isEmpty()) {
            log.warn("Census bundle not loaded: shared/data was not found; set HUB_DATA_DIR");
            return;
        }
        for (CensusImport layer : layers(data.get())) {
            Integer loaded = jdbc.queryForObject("SELECT count(*) FROM census_dataset WHERE id = ?", Integer.class,
                    layer.datasetId());
            if (loaded == 0) {
                loader.load(layer);
            }
        }
    }
}
