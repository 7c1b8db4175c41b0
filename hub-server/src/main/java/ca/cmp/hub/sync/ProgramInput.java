package ca.cmp.hub.sync;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.DeliveryMode;
import ca.cmp.hub.connectors.MentoringModel;
import ca.cmp.hub.connectors.ProgramSetting;
import ca.cmp.hub.connectors.ProgramStatus;

/** A pushed program, as bound from the GraphQL {@code ProgramInput}; validated by {@link ProgramValidator}. */
record ProgramInput(String sourceId, String name, String description, Integer minAge, Integer maxAge,
        MentoringModel model, ProgramSetting setting, List<String> languages, DeliveryMode mode, Double radiusKm,
        Map<String, Object> serviceArea, Boolean servesRegion, Integer activeMatches, Integer maxMatches,
        Integer waitlist, Boolean feeFree, String feeDescription, ProgramStatus status, OrganizationInput organization,
        List<SiteInput> sites) {

    record OrganizationInput(String sourceId, String name, String website, String email, String phone) {
    }

    record SiteInput(String sourceId, String name, String address, String city, String province, String postalCode,
            Double latitude, Double longitude) {
    }
}
