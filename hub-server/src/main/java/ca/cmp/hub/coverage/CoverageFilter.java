package ca.cmp.hub.coverage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;

/**
 * Which programs count and which youth: the analysis' eligibility. Ages bound both the youth counted (only
 * {@code minAge..maxAge}) and, per age, the programs covering them; attributes select programs.
 *
 * @param minAge youngest age counted, 6 by default
 * @param maxAge oldest age counted, 18 by default
 */
public record CoverageFilter(int minAge, int maxAge, List<MentoringModel> models, List<ProgramSetting> settings,
        List<String> languages, List<DeliveryMode> modes, List<UUID> partnerships) {

    public static CoverageFilter allYouth() {
        return new CoverageFilter(6, 18, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** Appends the program-level conditions (alias {@code p}) of this filter. */
    public void appendTo(StringBuilder sql, Map<String, Object> params) {
        sql.append(" AND coalesce(p.min_age, 6) <= :maxAge AND coalesce(p.max_age, 18) >= :minAge");
        params.put("minAge", minAge);
        params.put("maxAge", maxAge);
        if (!models.isEmpty()) {
            sql.append(" AND p.model IN (:models)");
            params.put("models", models.stream().map(Enum::name).toList());
        }
        if (!settings.isEmpty()) {
            sql.append(" AND p.setting IN (:settings)");
            params.put("settings", settings.stream().map(Enum::name).toList());
        }
        if (!modes.isEmpty()) {
            sql.append(" AND p.delivery_mode IN (:modes)");
            params.put("modes", modes.stream().map(Enum::name).toList());
        }
        if (!languages.isEmpty()) {
            sql.append(" AND p.languages && ARRAY[:languages]::text[]");
            params.put("languages", languages);
        }
        if (!partnerships.isEmpty()) {
            sql.append(" AND p.partnership_id IN (:partnerships)");
            params.put("partnerships", partnerships);
        }
    }
}
