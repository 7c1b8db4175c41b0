package ca.cmp.hub.graphql;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observes each GraphQL request (timings, errors) but not each data fetcher: per-field observations cost more
 * than the fields they time (a page of 20 programs resolves hundreds of fields), and were the largest share of
 * the hub's CPU per request.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlObservations {

    @Bean
    ObservationPredicate noDataFetcherObservations() {
        return (name, context) -> !"graphql.datafetcher".equals(name);
    }
}
