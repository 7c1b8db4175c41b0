package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Point;

/**
 * Capacity-aware access: the two-step floating catchment (2SFCA) index of mentoring places per 1,000 youth, so
 * a region reached by one full program does not look served.
 *
 * <p>Each census unit's youth are placed at one point inside it (its interior point). A program's catchment is
 * its service area; a unit is in it when the point is.
 * <ol>
 * <li>For each program j: {@code R_j = places_j / (Σ_{k in catchment j} youth_k(ages j serves) + waitlist_j)}
 * — places per young person competing for them; the waitlist is demand the program already cannot meet.</li>
 * <li>For each unit k: {@code A_k = Σ_a youth_k(a) · Σ_{j ∋ k, j serves a} R_j / youth_k} — the places per young
 * person within reach, averaged over the unit's ages; reported ×1,000.</li>
 * </ol>
 * Ages are those of the window; programs with no places contribute nothing; a program with places but no
 * demand in reach is skipped (no one to serve). The regional figure is the youth-weighted mean of the units.
 */
public final class TwoStepFloatingCatchment {

    private TwoStepFloatingCatchment() {
    }

    /** Places per 1,000 youth for one unit. */
    public record Access(String id, double youth, double placesPer1000) {
    }

    public record Result(List<Access> areas, double placesPer1000) {
    }

    public static Result compute(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        ReachIndex index = new ReachIndex(reaches);
        // Which programs reach each unit's point.
        List<List<ServiceReach>> reaching = units.parallelStream().map(u -> {
            Point p = u.geometry().getInteriorPoint();
            List<ServiceReach> list = new ArrayList<>();
            for (IndexedReach e : index.candidates(p.getEnvelopeInternal(), from, to)) {
                if (e.prepared().covers(p)) {
                    list.add(e.reach());
                }
            }
            return list;
        }).toList();
        java.util.Map<String, Double> demand = new java.util.HashMap<>();
        for (int k = 0; k < units.size(); k++) {
            CensusUnit unit = units.get(k);
            for (ServiceReach r : reaching.get(k)) {
                demand.merge(r.id(), unit.youth(Math.max(from, r.minAge()), Math.min(to, r.maxAge())), Double::sum);
            }
        }
        java.util.Map<String, Double> ratio = new java.util.HashMap<>();
        for (ServiceReach r : reaches) {
            double d = demand.getOrDefault(r.id(), 0.0) + r.waitlist();
            if (r.places() > 0 && d > 0) {
                ratio.put(r.id(), r.places() / d);
            }
        }
        List<Access> areas = new ArrayList<>(units.size());
        double weighted = 0;
        double youthTotal = 0;
        for (int k = 0; k < units.size(); k++) {
            CensusUnit unit = units.get(k);
            double youth = unit.youth(from, to);
            double placesPerYouth = 0;
            if (youth > 0) {
                double sum = 0;
                for (int age = from; age <= to; age++) {
                    double y = unit.youthByAge()[age - CensusUnit.FIRST_AGE];
                    for (ServiceReach r : reaching.get(k)) {
                        if (r.serves(age)) {
                            sum += y * ratio.getOrDefault(r.id(), 0.0);
                        }
                    }
                }
                placesPerYouth = sum / youth;
            }
            areas.add(new Access(unit.id(), youth, placesPerYouth * 1000));
            weighted += youth * placesPerYouth;
            youthTotal += youth;
        }
        return new Result(areas, youthTotal == 0 ? 0 : weighted / youthTotal * 1000);
    }
}
