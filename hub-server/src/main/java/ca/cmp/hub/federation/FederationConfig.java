package ca.cmp.hub.federation;

import ca.cmp.hub.program.ProgramRow;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.execution.ClassNameTypeResolver;

/**
 * The hub's schema as an Apollo Federation 2 subgraph (docs/federation.md). The entities' {@code @EntityMapping}
 * methods sit beside their types' other mappings (program, partnership, census), so that an entity fetched
 * through {@code _entities} is the same record the hub's own fields return, with the same field rules; this
 * package wires them in and guards the representations.
 */
@Configuration(proxyBeanMethods = false)
class FederationConfig {

    @Bean
    FederationSchemaFactory federationSchemaFactory() {
        FederationSchemaFactory factory = new FederationSchemaFactory();
        ClassNameTypeResolver types = new ClassNameTypeResolver();
        // The other entities' classes carry their type's name.
        types.addMapping(ProgramRow.class, "Program");
        factory.setTypeResolver(types);
        return factory;
    }

    @Bean
    GraphQlSourceBuilderCustomizer federatedSchema(FederationSchemaFactory factory) {
        return builder -> builder.schemaFactory((registry, wiring) ->
                RepresentationGuard.install(factory.createGraphQLSchema(registry, wiring)));
    }
}
