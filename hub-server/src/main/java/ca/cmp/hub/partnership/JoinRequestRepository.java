package ca.cmp.hub.partnership;

import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface JoinRequestRepository extends JpaRepository<JoinRequest, UUID> {

    List<JoinRequest> findByStatusOrderBySubmittedAtDesc(JoinRequest.Status status, Limit limit);
}
