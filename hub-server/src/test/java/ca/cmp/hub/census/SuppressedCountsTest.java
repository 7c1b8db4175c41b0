package ca.cmp.hub.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Census data as Statistics Canada ships it: small areas' counts marked {@code x}, {@code ..} or {@code F}. The
 * bundle's real 2011 counts are altered in a copy, in the bundle's CSV layout and in the Census Profile layout;
 * the marked areas load with their youth unknown, flagged, counted in the report and left out of every total
 * and ratio, which the coverage method says. A count that is simply absent still refuses the load, naming
 * exactly that count.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuppressedCountsTest {

    static final Path COUNTS = OpenData.dir().resolve("census/canada_age_by_geography_2011.csv");
    static final Path DIVISIONS = OpenData.dir().resolve("census/canada_census_divisions_youth.geojson");
    static final Map<String, String> BANDS = Map.of("total", "total", "age5to9", "age_5_9", "age10to14",
            "age_10_14", "age15to19", "age_15_19", "age6to18", "age_6_18");

    @Autowired
    CensusLoader loader;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTester graphQl;

    Path imports;
    /** The real file's census-division rows, by CDUID, in file order. */
    Map<String, CSVRecord> divisions = new LinkedHashMap<>();
    List<String> header;

    @BeforeAll
    void readTheRealCounts() throws Exception {
        imports = Files.createDirectories(Path.of("target/test-imports", "suppressed-" + UUID.randomUUID()));
        try (Reader in = Files.newBufferedReader(COUNTS, StandardCharsets.UTF_8);
                var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            header = parser.getHeaderNames();
            for (CSVRecord row : parser) {
                if (row.get("geo_level").equals("CD")) {
                    divisions.put(row.get("geo_code"), row);
                }
            }
        }
        assertThat(divisions).hasSize(293);
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    @Test
    void marksInTheCountsCsvLoadAsUnknownYouthLeftOutOfTotalsAndRatios() throws Exception {
        // 20 census divisions (seeded), their 6-18 counts and one band each marked as StatCan marks them.
        List<String> codes = new ArrayList<>(divisions.keySet());
        Collections.shuffle(codes, new Random(2021));
        Map<String, String[]> marks = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            marks.put(codes.get(i), i < 7 ? new String[] {"age_5_9", "x"} : i < 14 ? new String[] {"age_15_19", ".."}
                    : new String[] {"age_10_14", "F"});
        }
        Path altered = imports.resolve("canada_age_by_geography_2011.csv");
        double knownYouth = 0;
        try (Reader in = Files.newBufferedReader(COUNTS, StandardCharsets.UTF_8);
                var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
                Writer out = Files.newBufferedWriter(altered, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(
                        header.toArray(String[]::new)).get())) {
            for (CSVRecord row : parser) {
                List<String> values = new ArrayList<>(row.toList());
                String[] mark = row.get("geo_level").equals("CD") ? marks.get(row.get("geo_code")) : null;
                if (mark != null) {
                    values.set(header.indexOf(mark[0]), mark[1]);
                    values.set(header.indexOf("age_6_18"), mark[1]);
                } else if (row.get("geo_level").equals("CD")) {
                    knownYouth += Double.parseDouble(row.get("age_6_18"));
                }
                printer.printRecord(values);
            }
        }

        CensusLoader.Report report = loader.load(new CensusImport("suppressed-cds", CensusImport.Level.CENSUS_DIVISION,
                "Census divisions, some suppressed", "2011 Census counts", "test", "OGL-Canada", DIVISIONS, "cduid",
                "cdname", null, new CensusImport.InCsv(altered, "geo_code", "geo_level", "CD", BANDS)));

        assertThat(report.areas()).isEqualTo(293);
        assertThat(report.youthUnknown()).isEqualTo(20);
        assertThat(report.youth6to18()).isCloseTo(knownYouth, within(1e-6));
        assertThat(jdbc.queryForList("SELECT code FROM census_area WHERE dataset_id = 'suppressed-cds' "
                + "AND youth_unknown", String.class)).containsExactlyInAnyOrderElementsOf(marks.keySet());
        assertThat(jdbc.queryForList("SELECT DISTINCT youth_method FROM census_area WHERE dataset_id = "
                + "'suppressed-cds' AND youth_unknown", String.class)).containsExactly(AgeCounts.YOUTH_UNKNOWN);

        Callers.as("planner", Role.PLANNER, null);
        GraphQlTester.Response coverage = graphQl.documentName("coverage").variable("dataset", "suppressed-cds")
                .variable("areas", 300).variable("gaps", 1).execute();
        assertThat(coverage.path("coverage.totals.youth").entity(Double.class).get()).isCloseTo(knownYouth,
                within(1e-3));
        coverage.path("coverage.method.youthMethod").entity(String.class).satisfies(m -> assertThat(m)
                .contains("20 of the 293 areas have youth counts the source suppressed (x, .., F): they are "
                        + "excluded from totals and ratios"));
        List<String> reported = coverage.path("coverage.areas[*].code").entityList(String.class).get();
        assertThat(reported).hasSize(273).doesNotContainAnyElementsOf(marks.keySet());
        graphQl.document("query($d: ID!) { access(dataset: $d) { method { youthMethod } } }")
                .variable("d", "suppressed-cds").execute().path("access.method.youthMethod").entity(String.class)
                .satisfies(m -> assertThat(m).contains("excluded from totals and ratios"));

        // The public area list says unknown, rather than a count of zero.
        Map<String, Object> unknown = graphQl.document("query($d: ID!) { censusAreas(dataset: $d) { code "
                + "youth { total byAge method suppressed } } }").variable("d", "suppressed-cds").execute()
                .path("censusAreas").entityList(Map.class).get().stream().map(a -> (Map<String, Object>) a)
                .filter(a -> a.get("code").equals(codes.get(0))).findFirst().orElseThrow();
        assertThat((Map<String, Object>) unknown.get("youth")).containsEntry("total", null)
                .containsEntry("byAge", null).containsEntry("method", AgeCounts.YOUTH_UNKNOWN);
    }

    @Test
    void aCensusProfileWithMarkedCountsLoadsAndOneTrulyMissingCountIsNamedExactly() throws Exception {
        List<String> ontario = divisions.keySet().stream().filter(c -> c.startsWith("35")).toList();
        String marked = ontario.get(3);
        String symbolColumn = ontario.get(11);
        String unreliable = ontario.get(21);
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        double knownYouth = 0;
        for (String cd : ontario) {
            CSVRecord real = divisions.get(cd);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Total - Age groups of the population - 100% data", real.get("total"));
            row.put("5 to 9 years", cd.equals(marked) ? "x" : cd.equals(symbolColumn) ? "" : real.get("age_5_9"));
            row.put("10 to 14 years", real.get("age_10_14"));
            row.put("15 to 19 years", cd.equals(unreliable) ? "F" : real.get("age_15_19"));
            cells.put(cd, row);
            if (!Set.of(marked, symbolColumn, unreliable).contains(cd)) {
                knownYouth += 0.8 * Double.parseDouble(real.get("age_5_9")) + Double.parseDouble(real.get("age_10_14"))
                        + 0.8 * Double.parseDouble(real.get("age_15_19"));
            }
        }
        Path profile = imports.resolve("98-401-X2011_Ontario.csv");
        writeProfile(profile, cells, Map.of(symbolColumn, ".."));

        Callers.as("planner", Role.PLANNER, null);
        Map<String, Object> input = new HashMap<>(Map.of("id", "suppressed-profile", "level", "CENSUS_DIVISION",
                "title", "Ontario census divisions", "vintage", "2011 Census", "source", "test", "licence",
                "OGL-Canada", "boundaries", DIVISIONS.toString(), "codeProperty", "cduid", "nameProperty", "cdname",
                "counts", Map.of("censusProfile", profile.toString())));
        input.put("only", Map.of("field", "pruid", "values", List.of("35")));
        GraphQlTester.Response loaded = graphQl.documentName("loadCensusDataset").variable("input", input).execute();
        loaded.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("CensusDatasetLoaded");
        loaded.path("loadCensusDataset.report.areas").entity(Integer.class).isEqualTo(ontario.size());
        loaded.path("loadCensusDataset.report.youthUnknown").entity(Integer.class).isEqualTo(3);
        assertThat(loaded.path("loadCensusDataset.report.youth6to18").entity(Double.class).get())
                .isCloseTo(knownYouth, within(1e-6));
        assertThat(new TreeSet<>(jdbc.queryForList("SELECT code FROM census_area WHERE dataset_id = "
                + "'suppressed-profile' AND youth_unknown", String.class))).containsExactlyInAnyOrder(marked,
                symbolColumn, unreliable);

        // One area whose "10 to 14 years" row is not in the file at all, another whose "5 to 9 years" cell is
        // empty with no symbol: neither is a suppression, so the load is refused, naming exactly those counts.
        String noRow = ontario.get(5);
        String emptyCell = ontario.get(8);
        cells.get(noRow).remove("10 to 14 years");
        cells.get(emptyCell).put("5 to 9 years", "");
        writeProfile(profile, cells, Map.of(symbolColumn, ".."));
        GraphQlTester.Response refused = graphQl.documentName("loadCensusDataset").variable("input", input)
                .execute();
        refused.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("InvalidCensusImport");
        refused.path("loadCensusDataset.field").entity(String.class).isEqualTo("input.counts");
        String message = refused.path("loadCensusDataset.message").entity(String.class).get();
        assertThat(message).contains("2 area(s) cannot be loaded, nothing was changed");
        assertThat(line(message, "(cduid " + noRow + ")")).endsWith("): counts lack \"10 to 14 years\"");
        assertThat(line(message, "(cduid " + emptyCell + ")")).endsWith("): counts lack \"5 to 9 years\"");
        assertThat(message).doesNotContain(marked).doesNotContain(symbolColumn).doesNotContain(unreliable);
        // The refused load changed nothing.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_area WHERE dataset_id = 'suppressed-profile' "
                + "AND youth_unknown", Integer.class)).isEqualTo(3);
    }

    private static String line(String message, String containing) {
        return message.lines().filter(l -> l.contains(containing)).findFirst().orElseThrow().strip();
    }

    /**
     * The official Census Profile layout: one row per area and characteristic, {@code C1_COUNT_TOTAL} and its
     * {@code SYMBOL}; {@code symbols} puts a symbol beside an empty count for an area's "5 to 9 years".
     */
    private static void writeProfile(Path file, Map<String, Map<String, String>> cells, Map<String, String> symbols)
            throws Exception {
        StringBuilder csv = new StringBuilder("\"CENSUS_YEAR\",\"DGUID\",\"ALT_GEO_CODE\",\"GEO_LEVEL\",\"GEO_NAME\","
                + "\"CHARACTERISTIC_ID\",\"CHARACTERISTIC_NAME\",\"C1_COUNT_TOTAL\",\"SYMBOL\",\"C2_COUNT_MEN+\","
                + "\"SYMBOL\"\n");
        cells.forEach((cd, rows) -> {
            int id = 1;
            for (Map.Entry<String, String> row : rows.entrySet()) {
                String symbol = row.getKey().equals("5 to 9 years") ? symbols.getOrDefault(cd, "") : "";
                csv.append("2011,\"").append(cd).append("\",\"").append(cd).append("\",\"Census division\",\"")
                        .append(cd).append("\",").append(id++).append(",\"    ").append(row.getKey()).append("\",")
                        .append(row.getValue()).append(",\"").append(symbol).append("\",,\n");
            }
        });
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }
}
