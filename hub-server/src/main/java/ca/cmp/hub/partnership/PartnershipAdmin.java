package ca.cmp.hub.partnership;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.security.AccessAudit;
import ca.cmp.hub.security.CurrentCaller;
import org.locationtech.jts.geom.MultiPolygon;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The network's administration: partnerships created, changed and retired (never deleted), and requests to join,
 * approved into partnerships or declined. Every input is checked before anything is written, and each change is
 * one transaction with its audit event and a data-version bump (regions and retirements change analyses); a
 * failure leaves nothing half-written. Who may call is the controller's check.
 */
@Component
class PartnershipAdmin {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    static final List<String> PROVINCES = List.of("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC",
            "SK", "YT");

    sealed interface Outcome permits Saved, Invalid, Unknown {
    }

    record Saved(Partnership partnership) implements Outcome {
    }

    record Invalid(String field, String message) implements Outcome, JoinOutcome {
    }

    record Unknown(String id) implements Outcome, JoinOutcome {
    }

    sealed interface JoinOutcome permits JoinSaved, Invalid, Unknown {
    }

    record JoinSaved(JoinRequest request) implements JoinOutcome {
    }

    /** createPartnership's input. */
    record PartnershipInput(String slug, String name, String nameFr, List<String> provinces, String website,
            String contact, String description, RegionInput region) {
    }

    /** updatePartnership's: null leaves a field as it is; {@code removeRegion} clears the region. */
    record PartnershipChanges(String name, String nameFr, List<String> provinces, String website, String contact,
            String description, RegionInput region, Boolean removeRegion) {
    }

    record JoinRequestInput(String name, String contact, String website, String message, RegionInput region) {
    }

    /** What approving sets beyond the request's own name, contact, website and region. */
    record Approval(String slug, String nameFr, List<String> provinces, String description, String note) {
    }

    private final PartnershipRepository partnerships;
    private final JoinRequestRepository requests;
    private final PartnershipRegions regions;
    private final AccessAudit audit;
    private final DataVersion dataVersion;
    private final TransactionTemplate tx;

    PartnershipAdmin(PartnershipRepository partnerships, JoinRequestRepository requests, PartnershipRegions regions,
            AccessAudit audit, DataVersion dataVersion, PlatformTransactionManager transactions) {
        this.partnerships = partnerships;
        this.requests = requests;
        this.regions = regions;
        this.audit = audit;
        this.dataVersion = dataVersion;
        this.tx = new TransactionTemplate(transactions);
    }

    Outcome create(PartnershipInput in, CurrentCaller caller) {
        String slug = in.slug() == null ? "" : in.slug().strip();
        Fields f = new Fields("input");
        f.slug(slug);
        if (f.invalid == null && partnerships.findBySlug(slug).isPresent()) {
            f.fail("input.slug", "a partnership has the slug \"" + slug + "\" already");
        }
        String name = f.text("name", in.name(), 300, true);
        String nameFr = f.text("nameFr", in.nameFr(), 300, false);
        List<String> provinces = f.provinces(in.provinces());
        String website = f.website(in.website());
        String contact = f.text("contact", in.contact(), 300, false);
        String description = f.text("description", in.description(), 4000, false);
        MultiPolygon region = in.region() == null ? null : f.region(in.region());
        if (f.invalid != null) {
            return invalid(caller, "createPartnership", "partnership:" + slug, slug, f.invalid);
        }
        try {
            return tx.execute(s -> {
                Partnership p = new Partnership(UUID.randomUUID(), slug, name, null, null, null);
                p.edit(slug, name, nameFr, provinces, website, contact, description, region);
                Partnership saved = partnerships.saveAndFlush(p);
                audit.succeeded(caller, "createPartnership", "partnership:" + slug, slug, region == null
                        ? "without a region" : "with a region of " + region.getNumGeometries() + " polygon(s)");
                dataVersion.bump();
                return new Saved(saved);
            });
        } catch (DataIntegrityViolationException raced) {
            // Another administrator took the slug between the check and the insert.
            return invalid(caller, "createPartnership", "partnership:" + slug, slug,
                    new Invalid("input.slug", "a partnership has the slug \"" + slug + "\" already"));
        }
    }

    Outcome update(Partnership p, PartnershipChanges in, CurrentCaller caller) {
        Fields f = new Fields("changes");
        String name = in.name() == null ? p.getName() : f.text("name", in.name(), 300, true);
        String nameFr = in.nameFr() == null ? p.getNameFr() : f.text("nameFr", in.nameFr(), 300, false);
        List<String> provinces = in.provinces() == null ? p.getProvinces() : f.provinces(in.provinces());
        String website = in.website() == null ? p.getWebsite() : f.website(in.website());
        String contact = in.contact() == null ? p.getContact() : f.text("contact", in.contact(), 300, false);
        String description = in.description() == null ? p.getDescription()
                : f.text("description", in.description(), 4000, false);
        if (in.region() != null && Boolean.TRUE.equals(in.removeRegion())) {
            f.fail("changes.removeRegion", "give a new region or remove it, not both");
        }
        MultiPolygon region = Boolean.TRUE.equals(in.removeRegion()) ? null
                : in.region() == null ? p.getRegion() : f.region(in.region());
        String target = "partnership:" + p.getSlug();
        if (f.invalid != null) {
            return invalid(caller, "updatePartnership", target, p.getSlug(), f.invalid);
        }
        return tx.execute(s -> {
            Partnership current = partnerships.findById(p.getId()).orElseThrow();
            current.edit(current.getSlug(), name, nameFr, provinces, website, contact, description, region);
            Partnership saved = partnerships.saveAndFlush(current);
            audit.succeeded(caller, "updatePartnership", target, p.getSlug(), changed(in));
            dataVersion.bump();
            return new Saved(saved);
        });
    }

    Outcome retire(Partnership p, String reason, CurrentCaller caller) {
        String target = "partnership:" + p.getSlug();
        if (p.isRetired()) {
            return invalid(caller, "retirePartnership", target, p.getSlug(),
                    new Invalid("id", p.getSlug() + " was retired already, at " + p.getRetiredAt()));
        }
        Fields f = new Fields("");
        String why = f.text("reason", reason, 4000, false);
        if (f.invalid != null) {
            return invalid(caller, "retirePartnership", target, p.getSlug(), f.invalid);
        }
        return tx.execute(s -> {
            Partnership current = partnerships.findById(p.getId()).orElseThrow();
            current.retire(Instant.now());
            Partnership saved = partnerships.saveAndFlush(current);
            audit.succeeded(caller, "retirePartnership", target, p.getSlug(), why);
            dataVersion.bump();
            return new Saved(saved);
        });
    }

    JoinOutcome requestToJoin(JoinRequestInput in, CurrentCaller caller, String address) {
        Fields f = new Fields("request");
        String name = f.text("name", in.name(), 300, true);
        String contact = f.text("contact", in.contact(), 300, true);
        if (contact != null && contact.length() < 3) {
            f.fail("request.contact", "give an email address or phone number to reach you");
        }
        String website = f.website(in.website());
        String message = f.text("message", in.message(), 4000, false);
        MultiPolygon region = null;
        if (in.region() == null) {
            f.fail("request.region", "give the region your organization serves");
        } else {
            region = f.region(in.region());
        }
        String from = "from " + (address == null ? "an unknown address" : address);
        if (f.invalid != null) {
            invalid(caller, "requestToJoin", "join-request", null, new Invalid(f.invalid.field(),
                    f.invalid.message() + " (" + from + ")"));
            return f.invalid;
        }
        MultiPolygon served = region;
        return tx.execute(s -> {
            JoinRequest saved = requests.saveAndFlush(new JoinRequest(name, contact, website, message, served));
            audit.succeeded(caller, "requestToJoin", "join-request:" + saved.getId(), null,
                    "\"" + name + "\" " + from);
            return new JoinSaved(saved);
        });
    }

    Outcome approve(UUID requestId, Approval in, CurrentCaller caller) {
        Optional<JoinRequest> found = requests.findById(requestId);
        String target = "join-request:" + requestId;
        if (found.isEmpty()) {
            return new Unknown(requestId.toString());
        }
        JoinRequest request = found.get();
        String slug = in.slug() == null ? "" : in.slug().strip();
        Fields f = new Fields("");
        if (request.getStatus() != JoinRequest.Status.PENDING) {
            f.fail("id", "the request was " + request.getStatus().name().toLowerCase() + " already, at "
                    + request.getDecidedAt());
        }
        f.slug(slug);
        if (f.invalid == null && partnerships.findBySlug(slug).isPresent()) {
            f.fail("slug", "a partnership has the slug \"" + slug + "\" already");
        }
        String nameFr = f.text("nameFr", in.nameFr(), 300, false);
        List<String> provinces = f.provinces(in.provinces());
        String description = f.text("description", in.description(), 4000, false);
        String note = f.text("note", in.note(), 4000, false);
        if (f.invalid != null) {
            return invalid(caller, "approveJoinRequest", target, slug.isEmpty() ? null : slug, f.invalid);
        }
        try {
            return tx.execute(s -> {
                JoinRequest current = requests.findById(requestId).orElseThrow();
                Partnership p = new Partnership(UUID.randomUUID(), slug, current.getName(), null, null, null);
                p.edit(slug, current.getName(), nameFr, provinces, current.getWebsite(), current.getContact(),
                        description, current.getRegion());
                Partnership saved = partnerships.saveAndFlush(p);
                current.approve(caller.subject(), saved.getId(), note);
                requests.saveAndFlush(current);
                audit.succeeded(caller, "approveJoinRequest", target, slug, "became partnership " + slug);
                dataVersion.bump();
                return new Saved(saved);
            });
        } catch (DataIntegrityViolationException raced) {
            return invalid(caller, "approveJoinRequest", target, slug,
                    new Invalid("slug", "a partnership has the slug \"" + slug + "\" already"));
        }
    }

    JoinOutcome decline(UUID requestId, String reason, CurrentCaller caller) {
        Optional<JoinRequest> found = requests.findById(requestId);
        String target = "join-request:" + requestId;
        if (found.isEmpty()) {
            return new Unknown(requestId.toString());
        }
        Fields f = new Fields("");
        if (found.get().getStatus() != JoinRequest.Status.PENDING) {
            f.fail("id", "the request was " + found.get().getStatus().name().toLowerCase() + " already, at "
                    + found.get().getDecidedAt());
        }
        String note = f.text("reason", reason, 4000, false);
        if (f.invalid != null) {
            audit.invalid(caller, "declineJoinRequest", target, null, f.invalid.field() + ": " + f.invalid.message());
            return f.invalid;
        }
        return tx.execute(s -> {
            JoinRequest current = requests.findById(requestId).orElseThrow();
            current.decline(caller.subject(), note);
            JoinRequest saved = requests.saveAndFlush(current);
            audit.succeeded(caller, "declineJoinRequest", target, null, note);
            return new JoinSaved(saved);
        });
    }

    private Invalid invalid(CurrentCaller caller, String action, String target, String partnership, Invalid why) {
        audit.invalid(caller, action, target, partnership, why.field() + ": " + why.message());
        return why;
    }

    private static String changed(PartnershipChanges in) {
        List<String> fields = new ArrayList<>();
        if (in.name() != null) fields.add("name");
        if (in.nameFr() != null) fields.add("nameFr");
        if (in.provinces() != null) fields.add("provinces");
        if (in.website() != null) fields.add("website");
        if (in.contact() != null) fields.add("contact");
        if (in.description() != null) fields.add("description");
        if (in.region() != null) fields.add("region");
        if (Boolean.TRUE.equals(in.removeRegion())) fields.add("region removed");
        return fields.isEmpty() ? "nothing changed" : "changed " + String.join(", ", fields);
    }

    /** Checks fields in order and keeps the first problem, with its path under {@code prefix}. */
    private final class Fields {
        final String prefix;
        Invalid invalid;

        Fields(String prefix) {
            this.prefix = prefix;
        }

        String path(String field) {
            return prefix.isEmpty() ? field : prefix + "." + field;
        }

        void fail(String path, String message) {
            if (invalid == null) {
                invalid = new Invalid(path, message);
            }
        }

        void slug(String slug) {
            if (!SLUG.matcher(slug).matches()) {
                fail(path("slug"), "\"" + slug + "\" is not a slug: 2 to 63 lower-case letters, digits and dashes, "
                        + "not starting with a dash (e.g. alberta-mentoring)");
            }
        }

        String text(String field, String value, int max, boolean required) {
            String v = value == null ? null : value.strip();
            if (v == null || v.isEmpty()) {
                if (required) {
                    fail(path(field), "is required");
                }
                return null;
            }
            if (v.length() > max) {
                fail(path(field), "at most " + max + " characters, got " + v.length());
            }
            return v;
        }

        List<String> provinces(List<String> values) {
            if (values == null) {
                return List.of();
            }
            List<String> checked = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                String code = values.get(i) == null ? "" : values.get(i).strip().toUpperCase(java.util.Locale.ROOT);
                if (!PROVINCES.contains(code)) {
                    fail(path("provinces[" + i + "]"), "\"" + values.get(i)
                            + "\" is not a province or territory abbreviation like AB");
                } else if (!checked.contains(code)) {
                    checked.add(code);
                }
            }
            return checked;
        }

        String website(String value) {
            String v = text("website", value, 500, false);
            if (v == null) {
                return null;
            }
            try {
                URI uri = URI.create(v);
                if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                    fail(path("website"), "\"" + v + "\" is not an http(s) address like https://example.org");
                }
            } catch (IllegalArgumentException e) {
                fail(path("website"), "\"" + v + "\" is not an http(s) address like https://example.org");
            }
            return v;
        }

        MultiPolygon region(RegionInput in) {
            PartnershipRegions.Resolved resolved = regions.resolve(in, path("region"));
            if (resolved instanceof PartnershipRegions.Invalid bad) {
                fail(bad.field(), bad.message());
                return null;
            }
            return ((PartnershipRegions.Region) resolved).geometry();
        }
    }
}
