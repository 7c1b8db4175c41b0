package ca.cmp.hub.census;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.geo.shapefile.ShapefileException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads a census dataset into PostGIS, all or nothing.
 *
 * <p>Boundaries come from a GeoJSON, GeoPackage or shapefile ({@link BoundaryFile}); every feature must have a
 * code, a name, a polygonal geometry and the counts the youth rule needs, or have them marked suppressed by the
 * source (Statistics Canada's {@code x}, {@code ..}, {@code F} for small areas): those areas load with their
 * youth unknown ({@code youth_unknown}, zeros that sums leave out), are counted in the report, and analyses skip
 * them. The first problems (up to 20) are reported together, naming the file, the feature or record and exactly
 * the fields that are missing, and then nothing is written.
 * Geometries are transformed from the file's CRS to WGS 84 by PostGIS; those invalid as published are repaired
 * with {@code ST_MakeValid} (kept polygonal), never dropped, and the repaired ones are flagged.
 *
 * <p>Features are streamed into the transaction that replaces the dataset's previous rows, so memory holds one
 * batch at a time and readers see either the old dataset or the new one; any problem rolls the whole load back.
 * A committed load bumps the {@link DataVersion}, which invalidates every cached analysis.
 */
@Component
public class CensusLoader {

    private static final Logger log = LoggerFactory.getLogger(CensusLoader.class);
    private static final int MAX_REPORTED = 20;
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    private final DataVersion dataVersion;

    CensusLoader(JdbcTemplate jdbc, TransactionTemplate transaction, DataVersion dataVersion) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.dataVersion = dataVersion;
    }

    /**
     * What a load did.
     *
     * @param srid         the boundary file's EPSG code, before transformation to 4326
     * @param skipped      features the import's selection left out
     * @param youthUnknown areas loaded whose youth the source suppressed (among {@code areas}; not in
     *                     {@code youth6to18})
     */
    public record Report(String datasetId, int areas, int repaired, double youth6to18, CensusImport.Format format,
            int srid, int skipped, int youthUnknown) {
    }

    private record Area(String code, String name, String province, AgeCounts counts, BoundaryFeature.Shape shape) {
    }

    /** A load that found problems: rolled back, then reported. */
    private static final class Refused extends RuntimeException {
        final CensusLoadException reason;

        Refused(CensusLoadException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    public Report load(CensusImport spec) {
        Map<String, AgeCounts> external = externalCounts(spec);
        Report report;
        try (BoundaryFile file = BoundaryFile.open(spec)) {
            checkColumns(spec, file);
            report = transaction.execute(status -> {
                try {
                    return write(spec, file, external);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (Refused refused) {
            throw refused.reason;
        } catch (ShapefileException e) {
            throw new CensusLoadException(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new CensusLoadException(spec.boundaries().getFileName() + ": cannot be read: " + cause.getMessage());
        }
        log.info("Census dataset {} loaded from {} ({}, EPSG:{}): {} areas ({} repaired, {} with youth suppressed by "
                + "the source, {} not selected), {} youth 6-18", report.datasetId(), spec.boundaries().getFileName(),
                report.format(), report.srid(), report.areas(), report.repaired(), report.youthUnknown(),
                report.skipped(), Math.round(report.youth6to18()));
        return report;
    }

    /**
     * Files with one set of columns for every feature are checked once: a misnamed field is one clear message
     * (with the fields there are), not the same problem on every record.
     */
    private static void checkColumns(CensusImport spec, BoundaryFile file) {
        List<String> columns = file.columns();
        if (columns == null) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("codeProperty", spec.codeProperty());
        wanted.put("nameProperty", spec.nameProperty());
        if (spec.counts() instanceof CensusImport.InProperties p) {
            p.mapping().forEach((key, column) -> wanted.put("counts.properties." + key, column));
        }
        if (spec.only() != null) {
            wanted.put("only.field", spec.only().field());
        }
        wanted.forEach((input, column) -> {
            if (column != null && columns.stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
                throw new CensusLoadException(input, file.name() + ": no field " + column + " (" + input
                        + "); its fields are " + String.join(", ", columns));
            }
        });
    }

    private Report write(CensusImport spec, BoundaryFile file, Map<String, AgeCounts> external) throws IOException {
        // A national dissemination-area layer takes longer than an API request may.
        jdbc.execute("SET LOCAL statement_timeout = 0");
        jdbc.update("DELETE FROM census_dataset WHERE id = ?", spec.datasetId());
        jdbc.update("""
                INSERT INTO census_dataset (id, level, title, vintage, source, licence, area_count, repaired_count)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0)""", spec.datasetId(), spec.level().name(), spec.title(),
                spec.vintage(), spec.source(), spec.licence());
        // NAD83 and WGS 84 differ by about a metre in Canada, far below census boundary precision.
        int srid = file.srid() == 4269 ? 4326 : file.srid();
        List<String> problems = new ArrayList<>();
        String problemInput = null;
        Set<String> codes = new HashSet<>();
        List<Area> batch = new ArrayList<>(BATCH);
        int count = 0;
        int skipped = 0;
        for (BoundaryFeature feature = file.next(); feature != null; feature = file.next()) {
            if (spec.only() != null && !spec.only().includes(feature)) {
                skipped++;
                continue;
            }
            count++;
            Problem problem = new Problem();
            Area area = area(spec, feature, external, codes, problem);
            if (area == null) {
                problems.add(problem.message);
                problemInput = problemInput == null ? problem.input : problemInput;
            } else if (problems.isEmpty()) {
                batch.add(area);
                if (batch.size() == BATCH) {
                    insert(spec, batch, srid);
                    batch.clear();
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(new CensusLoadException(problemInput, file.name() + ": " + problems.size()
                    + " area(s) cannot be loaded, nothing was changed:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(MAX_REPORTED, problems.size())))
                    + (problems.size() > MAX_REPORTED ? "\n  ..." : "")));
        }
        if (count == 0) {
            throw new Refused(spec.only() == null ? new CensusLoadException(file.name() + ": no features")
                    : new CensusLoadException("only", file.name() + ": none of its " + skipped + " features has "
                            + spec.only().field() + " in " + spec.only().values()));
        }
        insert(spec, batch, srid);
        List<String> empty = jdbc.queryForList("SELECT code FROM census_area WHERE dataset_id = ? AND ST_IsEmpty(boundary)",
                String.class, spec.datasetId());
        if (!empty.isEmpty()) {
            throw new Refused(new CensusLoadException(file.name() + ": geometry of " + empty
                    + " has no area left after repair; nothing was changed"));
        }
        Map<String, Object> totals = jdbc.queryForMap("""
                SELECT count(*) FILTER (WHERE repaired) AS repaired, count(*) FILTER (WHERE youth_unknown) AS unknown,
                       coalesce(sum(youth_6_18) FILTER (WHERE NOT youth_unknown), 0) AS youth
                FROM census_area WHERE dataset_id = ?""", spec.datasetId());
        int repaired = ((Number) totals.get("repaired")).intValue();
        jdbc.update("UPDATE census_dataset SET area_count = ?, repaired_count = ? WHERE id = ?", count, repaired,
                spec.datasetId());
        dataVersion.bump();
        return new Report(spec.datasetId(), count, repaired, ((Number) totals.get("youth")).doubleValue(),
                spec.format(), file.srid(), skipped, ((Number) totals.get("unknown")).intValue());
    }

    private static final class Problem {
        String input;
        String message;

        Area fail(String input, String message) {
            this.input = input;
            this.message = message;
            return null;
        }
    }

    private static Area area(CensusImport spec, BoundaryFeature feature, Map<String, AgeCounts> external,
            Set<String> codes, Problem problem) {
        String code = feature.attribute(spec.codeProperty());
        if (spec.level() == CensusImport.Level.PROVINCE && code != null && code.matches("[A-Z]{2}")) {
            // Province layers may carry the postal abbreviation; counts are keyed by PRUID.
            code = Provinces.pruid(code) == null ? code : Provinces.pruid(code);
        }
        String where = feature.where() + (code == null ? "" : " (" + spec.codeProperty() + " " + code + ")");
        if (code == null) {
            return problem.fail("codeProperty", where + ": property " + spec.codeProperty() + " is missing");
        }
        if (!codes.add(code)) {
            return problem.fail("codeProperty", where + ": " + spec.codeProperty() + " " + code + " appears twice");
        }
        String name = feature.attribute(spec.nameProperty());
        if (feature.shape() instanceof BoundaryFeature.Unusable unusable) {
            return problem.fail("boundaries", where + ": " + unusable.reason());
        }
        AgeCounts counts;
        try {
            counts = spec.counts() instanceof CensusImport.InProperties p ? fromProperties(feature, p.mapping())
                    : external.get(code);
        } catch (CensusLoadException e) {
            return problem.fail("counts", where + ": " + e.getMessage());
        }
        if (counts == null) {
            return problem.fail("counts", where + ": no counts for this area in " + describe(spec.counts()));
        }
        List<String> missing = counts.missing();
        if (!missing.isEmpty()) {
            return problem.fail("counts", where + ": counts lack " + String.join(", ",
                    missing.stream().map(key -> field(spec.counts(), key)).toList()));
        }
        // StatCan codes start with the PRUID; other layers (a city's neighbourhoods) name their province.
        String province = spec.province() != null ? spec.province() : Provinces.abbreviation(code);
        return new Area(code, name == null ? code : name, province, counts, feature.shape());
    }

    /**
     * How messages name a count: the source's own field, e.g. {@code property age_15_19 (age15to19)},
     * {@code column age_5_9 (age5to9)}, or the Census Profile's {@code "5 to 9 years"}.
     */
    private static String field(CensusImport.Counts counts, String key) {
        Map<String, String> mapping = counts instanceof CensusImport.InProperties p ? p.mapping()
                : counts instanceof CensusImport.InCsv c ? c.mapping() : null;
        if (mapping == null) {
            return StatCanCensusProfile.CHARACTERISTICS.getOrDefault(key, key);
        }
        String source = mapping.get(key);
        String kind = counts instanceof CensusImport.InProperties ? "property " : "column ";
        return source == null ? key + " (not mapped)" : kind + source + " (" + key + ")";
    }

    private void insert(CensusImport spec, List<Area> areas, int srid) {
        if (areas.isEmpty()) {
            return;
        }
        // Exactly one of the two parameters is set: GeoJSON text or Well-Known Binary.
        String parsed = "ST_Force2D(ST_SetSRID(coalesce(ST_GeomFromGeoJSON(?::text), ST_GeomFromWKB(?::bytea)), "
                + srid + "))";
        String geometry = srid == 4326 ? parsed : "ST_Transform(" + parsed + ", 4326)";
        jdbc.batchUpdate("""
                INSERT INTO census_area (dataset_id, code, name, province, total_population, youth_6_18,
                                         youth_by_age, youth_method, youth_unknown, boundary, area_km2, repaired)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, v.g, ST_Area(v.g::geography) / 1e6, NOT ST_IsValid(r.raw)
                FROM (SELECT %s AS raw) r,
                     LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(r.raw), 3)) AS g) v""".formatted(geometry),
                areas, BATCH, (PreparedStatement ps, Area a) -> {
                    double[] ages = a.counts().youthByAge();
                    double youth = 0;
                    Double[] boxed = new Double[ages.length];
                    for (int i = 0; i < ages.length; i++) {
                        boxed[i] = ages[i];
                        youth += ages[i];
                    }
                    Array array = ps.getConnection().createArrayOf("float8", boxed);
                    ps.setString(1, spec.datasetId());
                    ps.setString(2, a.code());
                    ps.setString(3, a.name());
                    ps.setString(4, a.province());
                    ps.setObject(5, a.counts().total());
                    ps.setDouble(6, youth);
                    ps.setArray(7, array);
                    ps.setString(8, a.counts().method());
                    ps.setBoolean(9, a.counts().youthUnknown());
                    if (a.shape() instanceof BoundaryFeature.GeoJson g) {
                        ps.setString(10, g.text());
                        ps.setNull(11, Types.BINARY);
                    } else {
                        ps.setNull(10, Types.VARCHAR);
                        ps.setBytes(11, ((BoundaryFeature.Wkb) a.shape()).bytes());
                    }
                });
    }

    private Map<String, AgeCounts> externalCounts(CensusImport spec) {
        try {
            if (spec.counts() instanceof CensusImport.InCsv csv) {
                return fromCsv(csv);
            }
            if (spec.counts() instanceof CensusImport.InCensusProfile profile) {
                Map<String, AgeCounts> counts = new HashMap<>();
                StatCanCensusProfile.read(profile.csv()).forEach((dguid, area) -> counts.put(dguid, area.counts()));
                return counts;
            }
            return Map.of();
        } catch (IOException e) {
            throw new CensusLoadException("counts", "cannot read counts: " + e.getMessage());
        } catch (CensusLoadException e) {
            throw new CensusLoadException("counts", e.getMessage());
        } catch (IllegalArgumentException e) {
            // Commons CSV: a mapped column the header does not have.
            throw new CensusLoadException("counts", describe(spec.counts()) + ": " + e.getMessage());
        }
    }

    private static Map<String, AgeCounts> fromCsv(CensusImport.InCsv spec) throws IOException {
        Map<String, AgeCounts> counts = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(spec.csv(), StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(reader)) {
            for (CSVRecord row : parser) {
                if (spec.levelColumn() != null && !spec.levelValue().equals(row.get(spec.levelColumn()))) {
                    continue;
                }
                Map<String, String> values = new HashMap<>();
                spec.mapping().forEach((key, column) -> values.put(key, row.isMapped(column) ? row.get(column) : null));
                counts.put(row.get(spec.codeColumn()), counts(values, spec.csv().getFileName() + " row "
                        + row.getRecordNumber()));
            }
        }
        return counts;
    }

    private static AgeCounts fromProperties(BoundaryFeature feature, Map<String, String> mapping) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        mapping.forEach((key, property) -> {
            values.put(key, feature.attribute(property));
            labels.put(key, "property " + property + " (" + key + ")");
        });
        return counts(values, null, labels);
    }

    private static AgeCounts counts(Map<String, String> values, String where) {
        return counts(values, where, Map.of());
    }

    /** {@code labels} name the source field of each key in messages; {@code where} prefixes them when set. */
    private static AgeCounts counts(Map<String, String> values, String where, Map<String, String> labels) {
        java.util.function.Function<String, String> label = key -> (where == null ? "" : where + ": ")
                + labels.getOrDefault(key, key);
        Set<String> suppressed = new HashSet<>();
        values.forEach((key, text) -> {
            if (AgeCounts.isSuppressionSymbol(text)) {
                suppressed.add(key);
            }
        });
        return new AgeCounts(integer(values.get(AgeCounts.TOTAL), label.apply(AgeCounts.TOTAL)),
                number(values.get(AgeCounts.AGE_5_9), label.apply(AgeCounts.AGE_5_9)),
                number(values.get(AgeCounts.AGE_10_14), label.apply(AgeCounts.AGE_10_14)),
                number(values.get(AgeCounts.AGE_15_19), label.apply(AgeCounts.AGE_15_19)),
                number(values.get(AgeCounts.AGE_6_18), label.apply(AgeCounts.AGE_6_18)), null, suppressed);
    }

    /** The count, or null when there is none: blank, or one of the source's suppression symbols. */
    private static Double number(String text, String field) {
        if (text == null || text.isBlank() || AgeCounts.isSuppressionSymbol(text)) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.trim());
            if (value < 0 || !Double.isFinite(value)) {
                throw new CensusLoadException("counts", field + " " + text + " is not a count");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CensusLoadException("counts", field + " \"" + text + "\" is not a number");
        }
    }

    private static Integer integer(String text, String field) {
        Double value = number(text, field);
        return value == null ? null : (int) Math.round(value);
    }

    private static String describe(CensusImport.Counts counts) {
        if (counts instanceof CensusImport.InCsv csv) {
            return csv.csv().getFileName().toString();
        }
        if (counts instanceof CensusImport.InCensusProfile profile) {
            return profile.csv().getFileName() + " (Census Profile, by DGUID)";
        }
        return "the feature's properties";
    }
}
