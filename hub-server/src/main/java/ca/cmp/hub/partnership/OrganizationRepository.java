package ca.cmp.hub.partnership;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OrganizationRepository extends JpaRepository<Organization, UUID> {

    List<Organization> findAllByOrderByName(Limit limit);

    List<Organization> findByPartnershipIdOrderByName(UUID partnershipId, Limit limit);

    List<Organization> findByPartnershipIdInOrderByName(Collection<UUID> partnershipIds);
}
