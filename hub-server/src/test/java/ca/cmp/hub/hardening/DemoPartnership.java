package ca.cmp.hub.hardening;

import java.util.UUID;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.security.ApiClients;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.security.SecurityProperties;

/** The partnership of the demo partner client (demo-toronto), made once per database. */
final class DemoPartnership {

    static final String SLUG = "demo-toronto";

    private DemoPartnership() {
    }

    /** The partnership, and its partner client {@code demo-partner} (a row, as the demo makes it). */
    static synchronized Partnership of(PartnershipRepository partnerships, ApiClients clients) {
        Partnership demo = partnerships.findBySlug(SLUG).orElseGet(() -> partnerships.save(new Partnership(
                UUID.randomUUID(), SLUG, "Demo Toronto (tests)", "ON", null, null)));
        clients.ensure(new SecurityProperties.Client("demo-partner", "demo-partner-secret", Role.PARTNER, SLUG));
        return demo;
    }
}
