package ca.cmp.hub.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One validated program as the sync engine writes it: flat columns, enum names as text, the service area as
 * EWKT (SRID 4326), and a content hash over everything the partner controls, so that an unchanged record is
 * recognised without comparing columns and is never rewritten.
 */
public record StagedProgram(String sourceId, String name, String description, Integer minAge, Integer maxAge,
        String model, String setting, List<String> languages, String mode, String serviceAreaKind,
        Double serviceRadiusKm, String serviceAreaEwkt, Integer activeMatches, Integer maxMatches, Integer waitlist,
        Boolean feeFree, String feeDescription, String status, Organization organization, List<Site> sites) {

    public record Organization(String sourceId, String name, String website, String email, String phone) {
    }

    public record Site(String sourceId, String name, String address, String city, String province,
            String postalCode, double latitude, double longitude, String precision) {
    }

    /** SHA-256 of a canonical rendering of every field; sites in the order given (the source's order). */
    public String contentHash() {
        StringBuilder canonical = new StringBuilder(512);
        field(canonical, sourceId, name, description, minAge, maxAge, model, setting, String.join(",", languages), mode,
                serviceAreaKind, serviceRadiusKm, serviceAreaEwkt, activeMatches, maxMatches, waitlist, feeFree,
                feeDescription, status);
        if (organization != null) {
            field(canonical, organization.sourceId(), organization.name(), organization.website(),
                    organization.email(), organization.phone());
        }
        for (Site s : sites) {
            field(canonical, s.sourceId(), s.name(), s.address(), s.city(), s.province(), s.postalCode(),
                    s.latitude(), s.longitude(), s.precision());
        }
        byte[] digest = SHA_256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** One digest per thread, reset by each digest() call: looking the algorithm up costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static void field(StringBuilder out, Object... values) {
        for (Object value : values) {
            // Length-prefixed so that no two different field lists render alike.
            String text = value == null ? "\u0000" : value.toString();
            out.append(text.length()).append(':').append(text).append('|');
        }
    }
}
