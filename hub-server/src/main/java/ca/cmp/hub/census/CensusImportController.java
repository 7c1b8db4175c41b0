package ca.cmp.hub.census;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

/**
 * Users load their own census layers: planners and admins, from files in the import folders. Every refusal is
 * audited; every problem with the files is an {@link InvalidCensusImport} naming the input to fix.
 */
@Controller
class CensusImportController {

    private final CensusLoader loader;
    private final CensusDatasets datasets;
    private final CensusImportFolders folders;
    private final Gate gate;

    CensusImportController(CensusLoader loader, CensusDatasets datasets, CensusImportFolders folders,
            Gate gate) {
        this.loader = loader;
        this.datasets = datasets;
        this.folders = folders;
        this.gate = gate;
    }

    record CountFieldsInput(String total, String age5to9, String age10to14, String age15to19, String age6to18) {

        Map<String, String> mapping() {
            Map<String, String> mapping = new HashMap<>();
            put(mapping, "total", total);
            put(mapping, "age5to9", age5to9);
            put(mapping, "age10to14", age10to14);
            put(mapping, "age15to19", age15to19);
            put(mapping, "age6to18", age6to18);
            return mapping;
        }

        private static void put(Map<String, String> mapping, String key, String field) {
            if (field != null && !field.isBlank()) {
                mapping.put(key, field.strip());
            }
        }
    }

    record CensusCsvInput(String path, String codeColumn, String levelColumn, String levelValue,
            CountFieldsInput fields) {
    }

    record CensusCountsInput(CountFieldsInput properties, CensusCsvInput csv, String censusProfile) {
    }

    record SelectionInput(String field, java.util.List<String> values) {
    }

    record CensusDatasetInput(String id, CensusImport.Level level, String title, String vintage, String source,
            String licence, String boundaries, CensusImport.Format format, String layer, String codeProperty,
            String nameProperty, String province, CensusCountsInput counts, SelectionInput only) {
    }

    record CensusDatasetLoaded(CensusDataset dataset, CensusLoader.Report report) {
    }

    record InvalidCensusImport(String field, String message) {
    }

    @MutationMapping
    Object loadCensusDataset(@Argument CensusDatasetInput input) {
        Optional<NotAllowed> refused = gate.check(Permission.LOAD_CENSUS, "loadCensusDataset", null);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            CensusLoader.Report report = loader.load(censusImport(input));
            return new CensusDatasetLoaded(datasets.find(report.datasetId()).orElseThrow(), report);
        } catch (CensusLoadException e) {
            return new InvalidCensusImport("input." + e.input(), e.getMessage());
        }
    }

    private CensusImport censusImport(CensusDatasetInput in) {
        if (in.id() == null || !in.id().matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new CensusLoadException("id", "must be 2 to 63 lower-case letters, digits and dashes, starting "
                    + "with a letter or digit");
        }
        required("title", in.title());
        required("vintage", in.vintage());
        required("source", in.source());
        required("licence", in.licence());
        required("codeProperty", in.codeProperty());
        required("nameProperty", in.nameProperty());
        if (in.province() != null && Provinces.pruid(in.province()) == null) {
            throw new CensusLoadException("province", in.province() + " is not a province or territory "
                    + "abbreviation (ON, QC, BC...)");
        }
        Path boundaries = folders.file("boundaries", in.boundaries());
        if (in.format() == null && CensusImport.Format.of(boundaries) == null) {
            throw new CensusLoadException("format", boundaries.getFileName() + ": the name does not tell the format "
                    + "(.geojson, .gpkg, .zip or .shp); say which");
        }
        CensusImport.Selection only = null;
        if (in.only() != null) {
            required("only.field", in.only().field());
            if (in.only().values().isEmpty()) {
                throw new CensusLoadException("only.values", "name at least one value");
            }
            only = new CensusImport.Selection(in.only().field().strip(), java.util.Set.copyOf(in.only().values()));
        }
        return new CensusImport(in.id(), in.level(), in.title().strip(), in.vintage().strip(), in.source().strip(),
                in.licence().strip(), boundaries, in.format(), in.layer(), in.codeProperty().strip(),
                in.nameProperty().strip(), in.province(), counts(in.counts()), only);
    }

    private CensusImport.Counts counts(CensusCountsInput counts) {
        int given = (counts.properties() == null ? 0 : 1) + (counts.csv() == null ? 0 : 1)
                + (counts.censusProfile() == null ? 0 : 1);
        if (given != 1) {
            throw new CensusLoadException("counts", "give exactly one of properties, csv and censusProfile");
        }
        if (counts.properties() != null) {
            return new CensusImport.InProperties(counts.properties().mapping());
        }
        if (counts.censusProfile() != null) {
            return new CensusImport.InCensusProfile(folders.file("counts.censusProfile", counts.censusProfile()));
        }
        CensusCsvInput csv = counts.csv();
        required("counts.csv.codeColumn", csv.codeColumn());
        if ((csv.levelColumn() == null) != (csv.levelValue() == null)) {
            throw new CensusLoadException("counts.csv.levelColumn", "levelColumn and levelValue go together");
        }
        return new CensusImport.InCsv(folders.file("counts.csv.path", csv.path()), csv.codeColumn().strip(),
                csv.levelColumn(), csv.levelValue(), csv.fields().mapping());
    }

    private static void required(String input, String value) {
        if (value == null || value.isBlank() || value.length() > 1000) {
            throw new CensusLoadException(input, "is required, at most 1,000 characters");
        }
    }
}
