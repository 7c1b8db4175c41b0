package ca.cmp.hub.map;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small decoder of Mapbox Vector Tiles (protobuf, spec 2.1) for tests: layers, their features' properties and
 * geometry type, and each feature's vertex count. Only what the tests read; written from the spec, so a tile the
 * hub builds wrongly fails here rather than in a browser.
 */
final class Mvt {

    record Feature(int type, Map<String, Object> properties, int vertices) {
    }

    record Layer(String name, int extent, List<Feature> features) {
    }

    private final byte[] bytes;
    private int pos;
    private final int end;

    private Mvt(byte[] bytes, int pos, int end) {
        this.bytes = bytes;
        this.pos = pos;
        this.end = end;
    }

    static Map<String, Layer> decode(byte[] tile) {
        Map<String, Layer> layers = new HashMap<>();
        Mvt in = new Mvt(tile, 0, tile.length);
        while (in.pos < in.end) {
            long key = in.varint();
            if ((key >>> 3) == 3 && (key & 7) == 2) {
                Layer layer = in.sub().layer();
                layers.put(layer.name(), layer);
            } else {
                in.skip((int) (key & 7));
            }
        }
        return layers;
    }

    private Layer layer() {
        String name = null;
        int extent = 4096;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<Mvt> features = new ArrayList<>();
        while (pos < end) {
            long key = varint();
            int field = (int) (key >>> 3);
            switch (field) {
                case 1 -> name = sub().string();
                case 2 -> features.add(sub());
                case 3 -> keys.add(sub().string());
                case 4 -> values.add(sub().value());
                case 5 -> extent = (int) varint();
                default -> skip((int) (key & 7));
            }
        }
        List<Feature> decoded = new ArrayList<>();
        for (Mvt f : features) {
            decoded.add(f.feature(keys, values));
        }
        return new Layer(name, extent, decoded);
    }

    private Feature feature(List<String> keys, List<Object> values) {
        Map<String, Object> properties = new HashMap<>();
        int type = 0;
        int vertices = 0;
        while (pos < end) {
            long key = varint();
            int field = (int) (key >>> 3);
            if (field == 2) {
                Mvt tags = sub();
                while (tags.pos < tags.end) {
                    properties.put(keys.get((int) tags.varint()), values.get((int) tags.varint()));
                }
            } else if (field == 3) {
                type = (int) varint();
            } else if (field == 4) {
                Mvt geometry = sub();
                while (geometry.pos < geometry.end) {
                    long command = geometry.varint();
                    int id = (int) (command & 7);
                    int count = (int) (command >>> 3);
                    if (id == 1 || id == 2) {
                        for (int i = 0; i < count * 2; i++) {
                            geometry.varint();
                        }
                        vertices += count;
                    }
                }
            } else {
                skip((int) (key & 7));
            }
        }
        return new Feature(type, properties, vertices);
    }

    private Object value() {
        Object value = null;
        while (pos < end) {
            long key = varint();
            switch ((int) (key >>> 3)) {
                case 1 -> value = sub().string();
                case 2 -> value = (double) Float.intBitsToFloat(fixed32());
                case 3 -> value = Double.longBitsToDouble(fixed64());
                case 4, 5 -> value = varint();
                case 6 -> {
                    long v = varint();
                    value = (v >>> 1) ^ -(v & 1);
                }
                case 7 -> value = varint() != 0;
                default -> skip((int) (key & 7));
            }
        }
        return value;
    }

    private Mvt sub() {
        int length = (int) varint();
        Mvt sub = new Mvt(bytes, pos, pos + length);
        pos += length;
        return sub;
    }

    private String string() {
        return new String(bytes, pos, end - pos, java.nio.charset.StandardCharsets.UTF_8);
    }

    private long varint() {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = bytes[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    private int fixed32() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (bytes[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    private long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (bytes[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    private void skip(int wireType) {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> pos += 8;
            case 2 -> pos += (int) varint();
            case 5 -> pos += 4;
            default -> throw new IllegalStateException("wire type " + wireType + " at " + pos);
        }
    }
}
