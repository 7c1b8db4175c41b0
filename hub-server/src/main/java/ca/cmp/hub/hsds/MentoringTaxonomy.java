package ca.cmp.hub.hsds;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;

/**
 * The hub's own controlled vocabulary as an HSDS taxonomy: one term per mentoring model and per program setting.
 * Services carry their model and setting as attributes naming these terms. The names are the words the hub's HSDS
 * connector recognizes ("one-to-one", "group mentoring", "school-based", ...), so a feed the hub publishes reads
 * back into the same model and setting. Ids are name-based UUIDs: stable across instances and restarts.
 */
final class MentoringTaxonomy {

    static final String NAME = "CMP mentoring program vocabulary";
    static final UUID ID = id("taxonomy");

    /** A term: its id, the code (kind and enum constant) and the name a reader recognizes. */
    record Term(UUID id, String code, String name, String description) {
    }

    private static final Map<MentoringModel, Term> MODELS = new LinkedHashMap<>();
    private static final Map<ProgramSetting, Term> SETTINGS = new LinkedHashMap<>();

    static {
        model(MentoringModel.ONE_TO_ONE, "One-to-one mentoring", "One mentor with one young person.");
        model(MentoringModel.GROUP, "Group mentoring", "One or a few mentors with a group of young people.");
        model(MentoringModel.PEER, "Peer mentoring", "Young people mentoring slightly younger peers.");
        model(MentoringModel.E_MENTORING, "E-mentoring", "Mentoring mainly online.");
        model(MentoringModel.TEAM, "Team mentoring", "Several mentors with one or more young people.");
        setting(ProgramSetting.COMMUNITY, "Community-based", "Meets in the community.");
        setting(ProgramSetting.SCHOOL, "School-based", "Meets at school.");
        setting(ProgramSetting.WORKPLACE, "Workplace", "Meets at a workplace.");
        setting(ProgramSetting.ONLINE, "Online", "Meets online.");
    }

    private MentoringTaxonomy() {
    }

    private static void model(MentoringModel model, String name, String description) {
        MODELS.put(model, new Term(id("model:" + model.name()), "model:" + model.name(), name, description));
    }

    private static void setting(ProgramSetting setting, String name, String description) {
        SETTINGS.put(setting, new Term(id("setting:" + setting.name()), "setting:" + setting.name(), name,
                description));
    }

    static Term of(MentoringModel model) {
        return MODELS.get(model);
    }

    static Term of(ProgramSetting setting) {
        return SETTINGS.get(setting);
    }

    /** Every term: models, then settings. */
    static List<Term> terms() {
        List<Term> all = new ArrayList<>(MODELS.values());
        all.addAll(SETTINGS.values());
        return all;
    }

    static Optional<Term> term(UUID id) {
        return terms().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The taxonomy as HSDS {@code taxonomy}. */
    static Map<String, Object> taxonomy() {
        Map<String, Object> taxonomy = new LinkedHashMap<>();
        taxonomy.put("id", ID.toString());
        taxonomy.put("name", NAME);
        taxonomy.put("description", "The mentoring models and program settings of the Canadian Mentoring "
                + "Partnership's Mentoring Network Hub.");
        taxonomy.put("version", "1");
        return taxonomy;
    }

    /** A term as HSDS {@code taxonomy_term}. */
    static Map<String, Object> document(Term term) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", term.id().toString());
        document.put("code", term.code());
        document.put("name", term.name());
        document.put("description", term.description());
        document.put("taxonomy", NAME);
        document.put("taxonomy_id", ID.toString());
        document.put("language", "en");
        return document;
    }

    /** A name-based (version 3) UUID in the taxonomy's name space. */
    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(("cmp-hub:hsds:" + name).getBytes(StandardCharsets.UTF_8));
    }
}
