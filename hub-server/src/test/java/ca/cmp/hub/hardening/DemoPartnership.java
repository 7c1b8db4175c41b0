package ca.cmp.hub.hardening;

import java.util.UUID;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;

/** The partnership of the demo partner client (demo-toronto), made once per database. */
final class DemoPartnership {

    static final String SLUG = "demo-toronto";

    private DemoPartnership() {
    }

    static synchronized Partnership of(PartnershipRepository partnerships) {
        return partnerships.findBySlug(SLUG).orElseGet(() -> partnerships.save(new Partnership(UUID.randomUUID(),
                SLUG, "Demo Toronto (tests)", "ON", null, null)));
    }
}
