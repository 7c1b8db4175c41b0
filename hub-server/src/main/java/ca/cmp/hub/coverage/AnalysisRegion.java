package ca.cmp.hub.coverage;

import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBWriter;

/** The part of the dataset an analysis covers: all of it, a province, some areas, or a polygon clip. */
public record AnalysisRegion(String province, List<String> areaCodes, Geometry polygon) {

    public static AnalysisRegion all() {
        return new AnalysisRegion(null, null, null);
    }

    public boolean clips() {
        return polygon != null;
    }

    public void appendTo(StringBuilder sql, Map<String, Object> params, String geometryColumn) {
        if (province != null) {
            sql.append(" AND a.province = :province");
            params.put("province", province);
        }
        if (areaCodes != null && !areaCodes.isEmpty()) {
            sql.append(" AND a.code IN (:codes)");
            params.put("codes", areaCodes);
        }
        if (polygon != null) {
            sql.append(" AND ST_Intersects(").append(geometryColumn).append(", ST_GeomFromWKB(:clip, 4326))");
            params.put("clip", new WKBWriter().write(polygon));
        }
    }
}
