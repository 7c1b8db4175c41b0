package ca.cmp.hub.coverage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.coverage.AnalysisArguments.FilterInput;
import ca.cmp.hub.coverage.AnalysisArguments.RegionInput;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.geojson.GeoJsonException;
import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.stereotype.Component;

/** Turns the analyses' GraphQL arguments (dataset, region, filter) into a checked request, naming bad arguments. */
@Component
public class CoverageRequests {

    private final CensusDatasets datasets;
    private final PartnershipRepository partnerships;

    CoverageRequests(CensusDatasets datasets, PartnershipRepository partnerships) {
        this.datasets = datasets;
        this.partnerships = partnerships;
    }

    public CoverageAnalysis.Request request(String dataset, RegionInput region, FilterInput filter) {
        CensusDataset census = datasets.find(dataset).orElseThrow(() -> new InvalidArgumentException("dataset",
                "no census dataset \"" + dataset + "\" is loaded"));
        return new CoverageAnalysis.Request(census, region(region), filter(filter));
    }

    AnalysisRegion region(RegionInput in) {
        if (in == null) {
            return AnalysisRegion.all();
        }
        int given = (in.province() != null ? 1 : 0) + (in.partnership() != null ? 1 : 0) + (in.polygon() != null ? 1 : 0)
                + (in.areaCodes() != null ? 1 : 0);
        if (given > 1) {
            throw new InvalidArgumentException("region", "give one of province, partnership, polygon or areaCodes");
        }
        if (in.province() != null) {
            if (!in.province().matches("AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT")) {
                throw new InvalidArgumentException("region.province",
                        "\"" + in.province() + "\" is not a province or territory abbreviation like ON");
            }
            return new AnalysisRegion(in.province(), null, null);
        }
        if (in.areaCodes() != null) {
            if (in.areaCodes().isEmpty() || in.areaCodes().size() > AnalysisArguments.MAX_AREAS) {
                throw new InvalidArgumentException("region.areaCodes", "give 1 to " + AnalysisArguments.MAX_AREAS + " codes");
            }
            return new AnalysisRegion(null, List.copyOf(in.areaCodes()), null);
        }
        if (in.partnership() != null) {
            UUID id = Ids.parse("region.partnership", in.partnership());
            Partnership p = partnerships.findById(id).orElseThrow(() -> new InvalidArgumentException(
                    "region.partnership", "no partnership has the id " + id));
            if (p.getRegion() == null) {
                throw new InvalidArgumentException("region.partnership", p.getSlug() + " has no region polygon");
            }
            return new AnalysisRegion(null, null, p.getRegion());
        }
        if (in.polygon() != null) {
            Geometry g;
            try {
                g = GeoJsonGeometry.read(in.polygon());
            } catch (GeoJsonException e) {
                throw new InvalidArgumentException(e.path().isEmpty() ? "region.polygon"
                        : "region.polygon." + e.path(), e.reason());
            }
            if (!(g instanceof Polygon) && !(g instanceof MultiPolygon)) {
                throw new InvalidArgumentException("region.polygon", "must be a Polygon or MultiPolygon, got a "
                        + g.getGeometryType());
            }
            if (!new IsValidOp(g).isValid()) {
                throw new InvalidArgumentException("region.polygon", "the polygon is not valid: "
                        + new IsValidOp(g).getValidationError().getMessage());
            }
            if (!CanadaExtent.contains(g)) {
                throw new InvalidArgumentException("region.polygon", "the polygon reaches outside Canada");
            }
            return new AnalysisRegion(null, null, g);
        }
        return AnalysisRegion.all();
    }

    static CoverageFilter filter(FilterInput in) {
        if (in == null) {
            return CoverageFilter.allYouth();
        }
        int min = 6;
        int max = 18;
        if (in.ages() != null) {
            min = in.ages().min() == null ? 6 : in.ages().min();
            max = in.ages().max() == null ? min : in.ages().max();
            if (min < 6 || min > 18) {
                throw new InvalidArgumentException("filter.ages.min", "must be a youth age from 6 to 18, got " + min);
            }
            if (max < min || max > 18) {
                throw new InvalidArgumentException("filter.ages.max", "must be from ages.min (" + min
                        + ") to 18, got " + max);
            }
        }
        List<UUID> partnershipIds = new ArrayList<>();
        List<String> given = in.partnership() == null ? List.of() : in.partnership();
        for (int i = 0; i < given.size(); i++) {
            partnershipIds.add(Ids.parse("filter.partnership[" + i + "]", given.get(i)));
        }
        List<String> languages = in.language() == null ? List.of() : in.language();
        for (int i = 0; i < languages.size(); i++) {
            if (!languages.get(i).matches("[a-z]{2,3}")) {
                throw new InvalidArgumentException("filter.language[" + i + "]", "\"" + languages.get(i)
                        + "\" is not an ISO 639 code like \"en\" or \"fr\"");
            }
        }
        return new CoverageFilter(min, max, in.model() == null ? List.of() : in.model(),
                in.setting() == null ? List.of() : in.setting(), languages, in.mode() == null ? List.of() : in.mode(),
                partnershipIds);
    }
}
