package ca.cmp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.execution.SchemaReport;

/** Every field of the schema in schema/ has a data fetcher, and every controller mapping has a field. */
@HubTest
@Import(SchemaMappingTest.Inspect.class)
class SchemaMappingTest {

    @Autowired
    AtomicReference<SchemaReport> report;

    @Test
    void schemaAndControllersAgree() {
        SchemaReport schema = report.get();
        assertThat(schema).isNotNull();
        // The federation's own fields are wired by its schema transformer, not by controllers (FederationTest).
        assertThat(schema.unmappedFields()).filteredOn(f -> !f.getFieldName().equals("_service")
                && !f.getFieldName().equals("_entities")).isEmpty();
        assertThat(schema.unmappedRegistrations()).isEmpty();
        assertThat(schema.unmappedArguments()).isEmpty();
        assertThat(schema.fieldNullnessErrors()).isEmpty();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Inspect {

        @Bean
        AtomicReference<SchemaReport> schemaReport() {
            return new AtomicReference<>();
        }

        @Bean
        GraphQlSourceBuilderCustomizer captureReport(AtomicReference<SchemaReport> schemaReport) {
            return builder -> builder.inspectSchemaMappings(schemaReport::set);
        }
    }
}
