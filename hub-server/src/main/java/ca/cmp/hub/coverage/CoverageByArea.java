package ca.cmp.hub.coverage;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.SmallAreaProtection;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.Permission;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage of every area of a dataset, for doors other than GraphQL (the map's vector tiles): the same analysis,
 * cache and disclosure rule as {@code coverage()}, for a filter given in the {@code CoverageFilter} input's own
 * JSON shape ({@code {"ages": {"min": 6, "max": 12}, "model": ["GROUP"]}}), checked the same way.
 */
@Component
public class CoverageByArea {

    /** One area's figures as the caller may see them (nulls and {@code suppressed} under small-area protection). */
    public record Area(String code, Double youth, Double covered, Double uncovered, Double ratio, boolean suppressed,
            int programsReaching) {
    }

    /** Whole-dataset results kept decoded: a tile needs a few of them, and Redis holds them as JSON. */
    private static final int KEPT = 4;

    private final CoverageAnalysis analysis;
    private final CoverageRequests requests;
    private final SmallAreaProtection privacy;
    private final DataVersion version;
    private final Gate gate;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<List<Object>, Map<String, CoverageAnalysis.AreaRow>> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, Map<String, CoverageAnalysis.AreaRow>> eldest) {
            return size() > KEPT;
        }
    };

    private final Map<List<Object>, Map<String, CoverageAnalysis.AccessRow>> keptAccess = new LinkedHashMap<>(16,
            0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, Map<String, CoverageAnalysis.AccessRow>> eldest) {
            return size() > KEPT;
        }
    };

    CoverageByArea(CoverageAnalysis analysis, CoverageRequests requests, SmallAreaProtection privacy,
            DataVersion version, Gate gate) {
        this.gate = gate;
        this.analysis = analysis;
        this.requests = requests;
        this.privacy = privacy;
        this.version = version;
    }

    /** Reads a {@code CoverageFilter} JSON object (null or blank: everyone 6-18, every program), naming bad fields. */
    public Object filter(String filterJson) {
        if (filterJson == null || filterJson.isBlank()) {
            return CoverageFilter.allYouth();
        }
        AnalysisArguments.FilterInput input;
        try {
            input = json.readValue(filterJson, AnalysisArguments.FilterInput.class);
        } catch (JacksonException e) {
            throw new InvalidArgumentException("filter", "is not a CoverageFilter JSON object: "
                    + e.getOriginalMessage());
        }
        return CoverageRequests.filter(input);
    }

    /**
     * The areas {@code codes} of {@code dataset} under {@code filter} (from {@link #filter}), as the current caller
     * may see them; codes the dataset lacks are left out.
     */
    public Map<String, Area> published(String dataset, Object filter, Collection<String> codes) {
        CoverageFilter f = (CoverageFilter) filter;
        CoverageAnalysis.Request request = requests.request(dataset, null, null);
        request = new CoverageAnalysis.Request(request.census(), request.region(), f);
        List<Object> key = List.of(version.current(), dataset, f);
        Map<String, CoverageAnalysis.AreaRow> rows;
        synchronized (kept) {
            rows = kept.get(key);
        }
        if (rows == null) {
            rows = new HashMap<>();
            for (CoverageAnalysis.AreaRow r : analysis.coverage(request).areas()) {
                rows.put(r.code(), r);
            }
            synchronized (kept) {
                kept.put(key, rows);
            }
        }
        boolean detailed = detailed();
        Map<String, Area> result = new HashMap<>(codes.size() * 2);
        for (String code : codes) {
            CoverageAnalysis.AreaRow r = rows.get(code);
            if (r == null) {
                continue;
            }
            CoverageController.Figures p = PublishedFigures.of(r.youth(), r.covered(), detailed, privacy);
            result.put(r.code(), new Area(r.code(), p.youth(), p.covered(), p.uncovered(), p.ratio(), p.suppressed(),
                    r.programsReaching()));
        }
        return result;
    }

    /** One area's places per 1,000 youth (2SFCA), its youth as the caller may see them. */
    public record Access(String code, Double youth, double placesPer1000) {
    }

    /** As {@link #published}, for the access analysis ({@code access()}). */
    public Map<String, Access> access(String dataset, Object filter, Collection<String> codes) {
        CoverageAnalysis.Request request = requests.request(dataset, null, null);
        request = new CoverageAnalysis.Request(request.census(), request.region(), (CoverageFilter) filter);
        List<Object> key = List.of("access", version.current(), dataset, filter);
        Map<String, CoverageAnalysis.AccessRow> rows;
        synchronized (keptAccess) {
            rows = keptAccess.get(key);
        }
        if (rows == null) {
            rows = new HashMap<>();
            for (CoverageAnalysis.AccessRow r : analysis.access(request).areas()) {
                rows.put(r.code(), r);
            }
            synchronized (keptAccess) {
                keptAccess.put(key, rows);
            }
        }
        boolean detailed = detailed();
        Map<String, Access> result = new HashMap<>(codes.size() * 2);
        for (String code : codes) {
            CoverageAnalysis.AccessRow r = rows.get(code);
            if (r != null) {
                result.put(code, new Access(code, detailed ? Double.valueOf(r.youth()) : privacy.publish(r.youth()),
                        r.placesPer1000()));
            }
        }
        return result;
    }

    /** Whether the current caller sees unrounded figures (tiles are cached apart for them). */
    public boolean detailed() {
        return gate.allows(Permission.READ_DETAILED_FIGURES);
    }

    /** A stable text of the filter, for cache keys. */
    public String describe(Object filter) {
        return json.writeValueAsString(filter);
    }

    /** Appends the filter's conditions on programs (alias {@code p}): which programs count for coverage. */
    public void appendProgramConditions(Object filter, StringBuilder sql, Map<String, Object> params) {
        ((CoverageFilter) filter).appendTo(sql, params);
    }
}
