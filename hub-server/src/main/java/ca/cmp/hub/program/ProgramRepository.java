package ca.cmp.hub.program;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Writes of single programs (push mutations, demo data). Bulk syncs use set-based SQL instead. */
public interface ProgramRepository extends JpaRepository<Program, UUID> {
}
