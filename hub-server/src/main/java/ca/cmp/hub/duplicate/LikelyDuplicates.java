package ca.cmp.hub.duplicate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds pairs of ACTIVE programs that are likely one program published twice, through two sources: a site of each
 * within {@link DuplicateProperties#distanceMetres}, ages that overlap, and the same organization (by id, or by
 * name: organizations are a partnership's own records, so one provider pushed by two partnerships is two rows) or
 * names at least {@link DuplicateProperties#nameSimilarity} alike (pg_trgm). Two records of one source (same
 * partnership and source) are that source's two programs, never proposed.
 *
 * <p>One statement over the whole network: every site of an ACTIVE program probes the geography index of sites
 * ({@code site_location_geog_gix}) for neighbours within the distance, so its cost grows with the sites, not their
 * square.
 */
@Component
class LikelyDuplicates {

    /**
     * Why two programs look alike (each pair once, in either order).
     *
     * @param distanceMetres geodesic distance between their nearest sites, in metres
     * @param minAge         youngest age both serve (null: neither says)
     * @param maxAge         oldest age both serve (null: neither says)
     */
    record Pair(UUID first, UUID second, UUID firstPartnership, UUID secondPartnership, boolean sameOrganization,
            double nameSimilarity, double distanceMetres, Integer minAge, Integer maxAge) {
    }

    private final JdbcClient jdbc;
    private final DuplicateProperties properties;

    LikelyDuplicates(JdbcClient jdbc, DuplicateProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * The likely pairs with a program of one of these partnerships, or every likely pair when empty (then each
     * site of every ACTIVE program probes the index; else only the sites of those partnerships' programs do).
     */
    List<Pair> pairs(Collection<UUID> partnerships) {
        // With partnerships, a pair of two of them is met from both sides: kept once, from its smaller id.
        String which = partnerships.isEmpty() ? "b.id > a.id"
                : "a.partnership_id IN (:partnerships) AND (b.id > a.id OR b.partnership_id NOT IN (:partnerships))";
        return jdbc.sql("""
                SELECT a.id AS first, b.id AS second, a.partnership_id AS first_partnership,
                       b.partnership_id AS second_partnership,
                       coalesce(oa.id = ob.id OR lower(btrim(oa.name)) = lower(btrim(ob.name)), false) AS same_org,
                       similarity(a.name, b.name) AS name_similarity,
                       min(ST_Distance(sa.location::geography, sb.location::geography)) AS metres,
                       greatest(a.min_age, b.min_age) AS min_age, least(a.max_age, b.max_age) AS max_age
                FROM program a
                JOIN site sa ON sa.program_id = a.id
                JOIN site sb ON ST_DWithin(sa.location::geography, sb.location::geography, :metres)
                JOIN program b ON b.id = sb.program_id AND b.id <> a.id
                LEFT JOIN organization oa ON oa.id = a.organization_id
                LEFT JOIN organization ob ON ob.id = b.organization_id
                WHERE a.status = 'ACTIVE' AND b.status = 'ACTIVE' AND %s
                  AND (a.partnership_id, a.source) IS DISTINCT FROM (b.partnership_id, b.source)
                  AND (oa.id = ob.id OR lower(btrim(oa.name)) = lower(btrim(ob.name))
                       OR similarity(a.name, b.name) >= :similarity)
                  AND coalesce(greatest(a.min_age, b.min_age), 0) <= coalesce(least(a.max_age, b.max_age), 120)
                GROUP BY a.id, b.id, oa.id, ob.id
                ORDER BY a.id, b.id""".formatted(which))
                .params(params(partnerships))
                .param("metres", properties.distanceMetres())
                .param("similarity", properties.nameSimilarity())
                .query(LikelyDuplicates::pair).list();
    }

    private static Map<String, Object> params(Collection<UUID> partnerships) {
        Map<String, Object> params = new HashMap<>();
        if (!partnerships.isEmpty()) {
            params.put("partnerships", List.copyOf(partnerships));
        }
        return params;
    }

    private static Pair pair(ResultSet rs, int n) throws SQLException {
        return new Pair(rs.getObject("first", UUID.class), rs.getObject("second", UUID.class),
                rs.getObject("first_partnership", UUID.class), rs.getObject("second_partnership", UUID.class),
                rs.getBoolean("same_org"), rs.getDouble("name_similarity"), rs.getDouble("metres"),
                (Integer) rs.getObject("min_age"), (Integer) rs.getObject("max_age"));
    }
}
