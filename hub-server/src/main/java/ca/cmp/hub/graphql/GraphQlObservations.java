package ca.cmp.hub.graphql;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

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

    /**
     * Without this, Spring Security still wraps each of its filters in an observing decorator, only for the
     * predicate above to drop what it would record: the wrapping alone showed in the near page's CPU samples.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Latency histograms for the {@code graphql.request} timer only (not its {@code .active} long-task timer,
     * which a property's name prefix would also match): Prometheus computes any percentile per operation from them.
     */
    @Bean
    MeterFilter graphQlRequestHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && "graphql.request".equals(id.getName())) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }
}
