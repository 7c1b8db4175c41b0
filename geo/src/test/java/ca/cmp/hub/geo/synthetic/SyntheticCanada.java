package ca.cmp.hub.geo.synthetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import ca.cmp.hub.geo.areal.CensusUnit;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * A SYNTHETIC, seeded Canada for benchmarks: 400 m dissemination-area-like cells (EPSG:3347 metres) filling discs
 * around 27 real city centres, each with seeded youth counts of 0–16 per single year of age. The same layout as
 * {@code bench/coverage/synthetic-canada.sql}; nothing here is census data.
 */
public final class SyntheticCanada {

    public record City(String name, double lon, double lat, double radius) {
    }

    public static final List<City> CITIES = List.of(new City("Toronto", -79.3832, 43.6532, 30000),
            new City("Montreal", -73.5674, 45.5019, 26000), new City("Vancouver", -123.1207, 49.2827, 20000),
            new City("Calgary", -114.0719, 51.0447, 16000), new City("Edmonton", -113.4938, 53.5461, 16000),
            new City("Ottawa", -75.6972, 45.4215, 15000), new City("Winnipeg", -97.1384, 49.8951, 13000),
            new City("Quebec City", -71.2080, 46.8139, 11000), new City("Hamilton", -79.8711, 43.2557, 10000),
            new City("Kitchener", -80.4925, 43.4516, 9000), new City("London", -81.2453, 42.9849, 9000),
            new City("Halifax", -63.5752, 44.6488, 9000), new City("Victoria", -123.3656, 48.4284, 8000),
            new City("Saskatoon", -106.6700, 52.1332, 8000), new City("Regina", -104.6189, 50.4452, 8000),
            new City("St. John's", -52.7126, 47.5615, 7000), new City("Windsor", -83.0364, 42.3149, 7000),
            new City("Sherbrooke", -71.8929, 45.4042, 6000), new City("Kelowna", -119.4960, 49.8880, 6000),
            new City("Moncton", -64.7782, 46.0878, 5000), new City("Saguenay", -71.0689, 48.4280, 5000),
            new City("Thunder Bay", -89.2477, 48.3809, 5000), new City("Sudbury", -80.9930, 46.4917, 5000),
            new City("Charlottetown", -63.1311, 46.2382, 4000), new City("Whitehorse", -135.0568, 60.7212, 3000),
            new City("Yellowknife", -114.3718, 62.4540, 3000), new City("Iqaluit", -68.5170, 63.7467, 2000));

    public static final double CELL = 400;

    private SyntheticCanada() {
    }

    /** The cells, in city order; youth drawn from {@code rnd}. */
    public static List<CensusUnit> cells(Random rnd) {
        GeometryFactory f = new GeometryFactory();
        var transform = new CoordinateTransformFactory().createTransform(
                new CRSFactory().createFromName("EPSG:4326"), new CRSFactory().createFromName("EPSG:3347"));
        List<CensusUnit> units = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (City c : CITIES) {
            ProjCoordinate centre = transform.transform(new ProjCoordinate(c.lon(), c.lat()), new ProjCoordinate());
            int steps = (int) Math.ceil(c.radius() / CELL);
            long ox = (long) Math.floor(centre.x / CELL);
            long oy = (long) Math.floor(centre.y / CELL);
            for (int gx = -steps; gx <= steps; gx++) {
                for (int gy = -steps; gy <= steps; gy++) {
                    if (Math.pow(gx * CELL, 2) + Math.pow(gy * CELL, 2) > c.radius() * c.radius()
                            || !seen.add((ox + gx) << 32 ^ ((oy + gy) & 0xffffffffL))) {
                        continue;
                    }
                    double[] ages = new double[13];
                    for (int a = 0; a < 13; a++) {
                        ages[a] = Math.round(rnd.nextDouble() * 16);
                    }
                    double x = (ox + gx) * CELL;
                    double y = (oy + gy) * CELL;
                    units.add(new CensusUnit("syn-" + (ox + gx) + "-" + (oy + gy),
                            f.toGeometry(new Envelope(x, x + CELL, y, y + CELL)), ages));
                }
            }
        }
        return units;
    }
}
