package ca.cmp.hub.partnership;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface OrganizationRepository extends JpaRepository<Organization, UUID> {

    List<Organization> findAllByOrderByName();

    List<Organization> findByPartnershipIdOrderByName(UUID partnershipId);

    List<Organization> findByPartnershipIdInOrderByName(Collection<UUID> partnershipIds);
}
