package ca.cmp.hub.partnership;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface PartnershipRepository extends JpaRepository<Partnership, UUID> {

    List<Partnership> findAllByOrderByName();

    List<Partnership> findBySlugIn(java.util.Collection<String> slugs);

    Optional<Partnership> findBySlug(String slug);

    /** A partnership by id, or by slug (the name partner tokens use). */
    default Optional<Partnership> findByIdOrSlug(String idOrSlug) {
        try {
            return findById(UUID.fromString(idOrSlug));
        } catch (IllegalArgumentException notAnId) {
            return findBySlug(idOrSlug);
        }
    }
}
