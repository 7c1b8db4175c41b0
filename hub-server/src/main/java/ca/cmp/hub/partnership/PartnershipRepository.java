package ca.cmp.hub.partnership;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface PartnershipRepository extends JpaRepository<Partnership, UUID> {

    List<Partnership> findAllByOrderByName();

    Optional<Partnership> findBySlug(String slug);
}
