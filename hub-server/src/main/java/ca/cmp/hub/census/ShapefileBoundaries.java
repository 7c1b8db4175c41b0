package ca.cmp.hub.census;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import ca.cmp.hub.geo.shapefile.DbfReader;
import ca.cmp.hub.geo.shapefile.PrjReader;
import ca.cmp.hub.geo.shapefile.ShapefileException;
import ca.cmp.hub.geo.shapefile.ShpReader;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBWriter;

/**
 * Reads an ESRI shapefile of boundaries as Statistics Canada distributes them: a {@code .zip} holding
 * {@code name.shp}, {@code .shx}, {@code .dbf}, {@code .prj} and perhaps {@code .cpg} (e.g.
 * {@code lda_000b21a_e.zip}: DGUID, DAUID, PRUID, LANDAREA), or a {@code .shp} with those beside it.
 *
 * <p>Required: {@code .shp} (polygons, see {@link ShpReader}), {@code .dbf} (one row per shape, in the same
 * order; see {@link DbfReader}) and {@code .prj} (the CRS, see {@link PrjReader}; a shapefile without one has no
 * known CRS, and guessing lon/lat would misplace projected files silently). {@code .shx}, the index, is not
 * needed to read in order. Text is decoded by the {@code .cpg} when present.
 *
 * <p>Both files are streamed (the zip's entries are read in place, never extracted), so a national
 * dissemination-area layer takes no more memory than the features the loader holds. Records are numbered from 1,
 * as the format numbers them; a deleted .dbf row skips its shape too.
 */
final class ShapefileBoundaries implements BoundaryFile {

    private final String name;
    private final int srid;
    private final ShpReader shapes;
    private final DbfReader table;
    private final List<String> columns;
    private final AutoCloseable container;
    private final WKBWriter wkb = new WKBWriter(2);

    private ShapefileBoundaries(String name, int srid, ShpReader shapes, DbfReader table, AutoCloseable container) {
        this.name = name;
        this.srid = srid;
        this.shapes = shapes;
        this.table = table;
        this.container = container;
        this.columns = table.fields().stream().map(DbfReader.Field::name).toList();
    }

    /** The parts of one shapefile: opened on demand, by extension (lower case, without the dot). */
    private interface Parts {
        InputStream open(String extension) throws IOException;

        boolean has(String extension);
    }

    static ShapefileBoundaries open(Path file, String layer) throws IOException {
        String name = file.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".shp")) {
            String base = name.substring(0, name.length() - 4);
            Parts parts = new Parts() {
                @Override
                public InputStream open(String extension) throws IOException {
                    Path sibling = sibling(extension).toRealPath();
                    // The .shp passed the import-folder guard; its parts must not be links out of that folder.
                    if (!sibling.getParent().equals(file.toRealPath().getParent())) {
                        throw new CensusLoadException(name + ": its ." + extension + " is a link to another folder");
                    }
                    return Files.newInputStream(sibling);
                }

                @Override
                public boolean has(String extension) {
                    return Files.isRegularFile(sibling(extension));
                }

                private Path sibling(String extension) {
                    Path lower = file.resolveSibling(base + "." + extension);
                    Path upper = file.resolveSibling(base + "." + extension.toUpperCase(Locale.ROOT));
                    return Files.exists(lower) || !Files.exists(upper) ? lower : upper;
                }
            };
            return read(name, parts, null);
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new CensusLoadException(name + ": not a zip file (" + e.getMessage() + ")");
        }
        try {
            Map<String, Map<String, ZipEntry>> byBase = new TreeMap<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                ZipEntry entry = en.nextElement();
                String path = entry.getName();
                int dot = path.lastIndexOf('.');
                if (entry.isDirectory() || dot < 0 || path.contains("__MACOSX")) {
                    continue;
                }
                String base = path.substring(path.lastIndexOf('/') + 1, dot);
                byBase.computeIfAbsent(base, k -> new HashMap<>())
                        .put(path.substring(dot + 1).toLowerCase(Locale.ROOT), entry);
            }
            List<String> layers = new ArrayList<>();
            byBase.forEach((base, entries) -> {
                if (entries.containsKey("shp")) {
                    layers.add(base);
                }
            });
            String chosen;
            if (layer != null && !layer.isBlank()) {
                String wanted = layer.replaceFirst("(?i)\\.shp$", "");
                chosen = layers.stream().filter(l -> l.equalsIgnoreCase(wanted)).findFirst()
                        .orElseThrow(() -> new CensusLoadException("layer", name + ": no shapefile " + wanted
                                + " in the zip; it holds " + (layers.isEmpty() ? "none" : String.join(", ", layers))));
            } else if (layers.size() == 1) {
                chosen = layers.get(0);
            } else {
                throw new CensusLoadException(layers.isEmpty() ? "boundaries" : "layer", name + (layers.isEmpty()
                        ? ": the zip holds no .shp file" : ": the zip holds several shapefiles (" + String.join(", ",
                                layers) + "); name one in layer"));
            }
            Map<String, ZipEntry> entries = byBase.get(chosen);
            Parts parts = new Parts() {
                @Override
                public InputStream open(String extension) throws IOException {
                    return zip.getInputStream(entries.get(extension));
                }

                @Override
                public boolean has(String extension) {
                    return entries.containsKey(extension);
                }
            };
            return read(name + "!" + chosen + ".shp", parts, zip);
        } catch (RuntimeException | IOException e) {
            zip.close();
            throw e;
        }
    }

    private static ShapefileBoundaries read(String name, Parts parts, AutoCloseable container) throws IOException {
        for (String required : List.of("dbf", "prj")) {
            if (!parts.has(required)) {
                throw new CensusLoadException(name + ": the ." + required + " file is missing (a shapefile is read "
                        + "from its .shp, .dbf and .prj; put them side by side or in one zip)");
            }
        }
        Charset charset = null;
        if (parts.has("cpg")) {
            try (InputStream cpg = parts.open("cpg")) {
                charset = DbfReader.codePage(new String(cpg.readNBytes(256), StandardCharsets.US_ASCII));
            }
        }
        int srid;
        try (InputStream prj = parts.open("prj")) {
            srid = PrjReader.epsg(name.replaceFirst("(?i)\\.shp$", ".prj"), text(prj));
        }
        ShpReader shapes = new ShpReader(name, parts.open("shp"), new GeometryFactory());
        DbfReader table;
        try {
            table = new DbfReader(name.replaceFirst("(?i)\\.shp$", ".dbf"), parts.open("dbf"), charset);
        } catch (RuntimeException | IOException e) {
            shapes.close();
            throw e;
        }
        return new ShapefileBoundaries(name, srid, shapes, table, container);
    }

    private static String text(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        // A .prj is ASCII; some writers add a byte-order mark.
        return out.toString(StandardCharsets.UTF_8).replace("\uFEFF", "");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int srid() {
        return srid;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public BoundaryFeature next() throws IOException {
        while (true) {
            ShpReader.ShapeRecord shape = shapes.next();
            DbfReader.Row row = table.next();
            if (shape == null || row == null) {
                if (shape != null || row != null) {
                    throw new ShapefileException(name + ": the .shp has " + (shapes.records() - (shape == null ? 0 : 1))
                            + " shapes but the .dbf " + table.recordCount() + " rows; they must pair one to one");
                }
                return null;
            }
            if (row.deleted()) {
                continue;
            }
            BoundaryFeature.Shape geometry = shape.problem() != null ? new BoundaryFeature.Unusable(shape.problem())
                    : shape.geometry() == null ? new BoundaryFeature.Unusable("no ring of it encloses any area")
                            : new BoundaryFeature.Wkb(wkb.write(shape.geometry()));
            return new BoundaryFeature("record " + shape.number(), row.values(), geometry);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            shapes.close();
            table.close();
        } finally {
            if (container != null) {
                try {
                    container.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
