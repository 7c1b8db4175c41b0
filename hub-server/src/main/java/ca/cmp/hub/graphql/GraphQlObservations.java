package ca.cmp.hub.graphql;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observes each GraphQL request (timings, errors) but not each data fetcher: per-field observations cost more
 * than the fields they time (a page of 20 programs resolves hundreds of fields), and were the largest share of
 * the hub's CPU per request. Nor each data loader batch, nor Spring Security's filter chain and authorization
 * steps: a dozen observations per request that the request's own observation already times (about 6% of the
 * hub's CPU samples on a page of programs near a point).
 */
@Configuration(proxyBeanMethods = false)
class GraphQlObservations {

    @Bean
    ObservationPredicate noFineGrainedObservations() {
        return (name, context) -> !"graphql.datafetcher".equals(name) && !"graphql.dataloader".equals(name)
                && !name.startsWith("spring.security.");
    }
}
