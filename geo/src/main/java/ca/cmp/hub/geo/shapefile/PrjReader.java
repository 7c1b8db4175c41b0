package ca.cmp.hub.geo.shapefile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names the EPSG code of the coordinate reference system a shapefile's {@code .prj} describes. The file holds
 * one WKT 1 definition, either ESRI's dialect (as ArcGIS and GDAL write it:
 * {@code PROJCS["NAD_1983_Statistics_Canada_Lambert", GEOGCS["GCS_North_American_1983", ...]}) or OGC's (with
 * {@code AUTHORITY} members). The same text is a GeoPackage's {@code gpkg_spatial_ref_sys.definition}.
 *
 * <p>How: an {@code AUTHORITY["EPSG", "n"]} (or WKT 2 {@code ID["EPSG", n]}) on the root wins. ESRI's dialect
 * carries no code, so otherwise the definition is compared, parameter by parameter (angles to 1e-6 degree,
 * false origins to a millimetre; names do not matter — Statistics Canada's 2016 files call its Lambert
 * "PCS_Lambert_Conformal_Conic"), with the systems Canadian boundary files come in:
 * <ul>
 * <li>geographic: WGS 84 (4326), NAD83 (4269), NAD83(CSRS) (4617), in degrees;</li>
 * <li>Statistics Canada Lambert (3347: Lambert conformal conic on NAD83, standard parallels 49° and 77°,
 * origin 63.390675° N 91.866667° W, false easting 6,200,000 m, false northing 3,000,000 m) — every Statistics
 * Canada boundary file;</li>
 * <li>Canada Atlas Lambert (3978 on NAD83, 3979 on NAD83(CSRS));</li>
 * <li>NAD83 / UTM zones 7N–22N (26907–26922), in metres.</li>
 * </ul>
 * Anything else (other datums such as NAD27, which needs grid shifts, or units other than metres) is refused
 * with the name the file gives, so the user can reproject it first.
 */
public final class PrjReader {

    private PrjReader() {
    }

    private enum Datum { WGS84, NAD83, NAD83_CSRS, OTHER }

    private record Known(int epsg, String projection, Datum datum, Map<String, Double> parameters) {
    }

    private static final List<Known> PROJECTED = new ArrayList<>();

    static {
        Map<String, Double> statCan = Map.of("standardparallel1", 49.0, "standardparallel2", 77.0,
                "centralmeridian", -91.86666666666666, "latitudeoforigin", 63.390675, "falseeasting", 6_200_000.0,
                "falsenorthing", 3_000_000.0);
        PROJECTED.add(new Known(3347, "lambertconformalconic", Datum.NAD83, statCan));
        Map<String, Double> atlas = Map.of("standardparallel1", 49.0, "standardparallel2", 77.0,
                "centralmeridian", -95.0, "latitudeoforigin", 49.0, "falseeasting", 0.0, "falsenorthing", 0.0);
        PROJECTED.add(new Known(3978, "lambertconformalconic", Datum.NAD83, atlas));
        PROJECTED.add(new Known(3979, "lambertconformalconic", Datum.NAD83_CSRS, atlas));
        for (int zone = 7; zone <= 22; zone++) {
            PROJECTED.add(new Known(26900 + zone, "transversemercator", Datum.NAD83, Map.of("centralmeridian",
                    -183.0 + 6 * zone, "scalefactor", 0.9996, "latitudeoforigin", 0.0, "falseeasting", 500_000.0,
                    "falsenorthing", 0.0)));
        }
    }

    /**
     * The EPSG code of a WKT definition.
     *
     * @param fileName for messages
     * @throws ShapefileException when the text is not WKT or describes a system not listed above
     */
    public static int epsg(String fileName, String wkt) {
        Node root;
        try {
            root = new Parser(wkt).node();
        } catch (IllegalArgumentException e) {
            throw new ShapefileException(fileName + ": not a WKT coordinate system definition: " + e.getMessage());
        }
        Integer authority = authority(root);
        if (authority != null) {
            return authority;
        }
        String kind = root.name();
        if (kind.equals("GEOGCS") || kind.equals("GEOGCRS")) {
            Datum datum = datum(root);
            switch (datum) {
                case WGS84:
                    return 4326;
                case NAD83:
                    return 4269;
                case NAD83_CSRS:
                    return 4617;
                default:
                    break;
            }
        } else if (kind.equals("PROJCS")) {
            Node geographic = root.child("GEOGCS");
            Node projection = root.child("PROJECTION");
            Node unit = root.child("UNIT");
            boolean metres = unit != null && unit.number(1) != null && Math.abs(unit.number(1) - 1) < 1e-9;
            if (geographic != null && projection != null && metres) {
                String method = normal(projection.text(0)).replace("2sp", "");
                Datum datum = datum(geographic);
                Map<String, Double> parameters = new HashMap<>();
                for (Node p : root.children("PARAMETER")) {
                    parameters.put(normal(p.text(0)), p.number(1));
                }
                for (Known known : PROJECTED) {
                    if (known.projection().equals(method) && known.datum() == datum && matches(known, parameters)) {
                        return known.epsg();
                    }
                }
            }
        }
        throw new ShapefileException(fileName + ": unknown coordinate system \"" + root.text(0) + "\" (" + kind
                + "); this reader knows WGS 84, NAD83, NAD83(CSRS), Statistics Canada Lambert (EPSG:3347), Canada "
                + "Atlas Lambert and NAD83 UTM zones: reproject the file first, e.g. ogr2ogr -t_srs EPSG:3347");
    }

    private static boolean matches(Known known, Map<String, Double> parameters) {
        for (Map.Entry<String, Double> expected : known.parameters().entrySet()) {
            Double value = parameters.get(expected.getKey());
            if (value == null && expected.getValue() == 0.0) {
                continue;
            }
            if (value == null && expected.getKey().equals("scalefactor") && expected.getValue() == 1.0) {
                continue;
            }
            double tolerance = expected.getKey().startsWith("false") ? 1e-3 : 1e-6;
            if (value == null || Math.abs(value - expected.getValue()) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static Integer authority(Node node) {
        for (Node a : node.children("AUTHORITY")) {
            if ("EPSG".equalsIgnoreCase(a.text(0)) && a.args().size() > 1) {
                return Integer.valueOf(String.valueOf(a.args().get(1)).replaceFirst("\\.0$", ""));
            }
        }
        for (Node id : node.children("ID")) {
            if ("EPSG".equalsIgnoreCase(id.text(0)) && id.args().size() > 1) {
                return Integer.valueOf(String.valueOf(id.args().get(1)).replaceFirst("\\.0$", ""));
            }
        }
        return null;
    }

    private static Datum datum(Node geographic) {
        Node datum = geographic.child("DATUM");
        // "D_North_American_1983" (ESRI), "North_American_Datum_1983" (OGC), "NAD83".
        String name = normal(datum == null ? geographic.text(0) : datum.text(0)).replace("datum", "");
        if (name.contains("csrs")) {
            return Datum.NAD83_CSRS;
        }
        if (name.contains("northamerican1983") || name.equals("nad83") || name.equals("dnad83")) {
            return Datum.NAD83;
        }
        if (name.contains("wgs1984") || name.contains("wgs84") || name.contains("worldgeodeticsystem1984")) {
            return Datum.WGS84;
        }
        return Datum.OTHER;
    }

    private static String normal(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** A WKT element: its keyword and its arguments (String for quoted text, Double, or Node). */
    private record Node(String name, List<Object> args) {

        String text(int i) {
            return i < args.size() && args.get(i) instanceof String s ? s : null;
        }

        Double number(int i) {
            return i < args.size() && args.get(i) instanceof Double d ? d : null;
        }

        Node child(String keyword) {
            List<Node> found = children(keyword);
            return found.isEmpty() ? null : found.get(0);
        }

        List<Node> children(String keyword) {
            List<Node> found = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof Node n && n.name().equalsIgnoreCase(keyword)) {
                    found.add(n);
                }
            }
            return found;
        }
    }

    /** Recursive descent over WKT 1: KEYWORD[arg, ...] with quoted strings, numbers and nested elements. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Node node() {
            skipSpace();
            int start = at;
            while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("expected a keyword at character " + at);
            }
            String name = s.substring(start, at).toUpperCase(Locale.ROOT);
            skipSpace();
            List<Object> args = new ArrayList<>();
            if (at < s.length() && (s.charAt(at) == '[' || s.charAt(at) == '(')) {
                at++;
                while (true) {
                    skipSpace();
                    if (at >= s.length()) {
                        throw new IllegalArgumentException("unbalanced brackets");
                    }
                    char c = s.charAt(at);
                    if (c == ']' || c == ')') {
                        at++;
                        break;
                    }
                    if (c == ',') {
                        at++;
                        continue;
                    }
                    if (c == '"') {
                        args.add(quoted());
                    } else if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
                        args.add(number());
                    } else {
                        args.add(node());
                    }
                }
            }
            return new Node(name, args);
        }

        private String quoted() {
            StringBuilder text = new StringBuilder();
            at++;
            while (at < s.length()) {
                char c = s.charAt(at++);
                if (c == '"') {
                    if (at < s.length() && s.charAt(at) == '"') {
                        text.append('"');
                        at++;
                        continue;
                    }
                    return text.toString();
                }
                text.append(c);
            }
            throw new IllegalArgumentException("unterminated quoted text");
        }

        private Double number() {
            int start = at;
            while (at < s.length() && "+-.0123456789eE".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            try {
                return Double.valueOf(s.substring(start, at));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + s.substring(start, at) + "\" is not a number");
            }
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
    }
}
