package ca.cmp.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The hub's feature packages are Spring Modulith application modules: each may use only what another exposes
 * in its top-level package, and there are no cycles. The pure modules below the server stay pure.
 */
class ModuleBoundariesTest {

    @Test
    void featurePackagesRespectTheirBoundaries() {
        // geo and connectors are libraries below the server (their own rule is the next test), not app modules.
        ApplicationModules.of(HubApplication.class,
                JavaClass.Predicates.resideInAnyPackage("ca.cmp.hub.geo..", "ca.cmp.hub.connectors..")).verify();
    }

    @Test
    void geoAndConnectorsKnowNothingOfSpringOrTheServer() {
        JavaClasses libraries = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ca.cmp.hub.geo", "ca.cmp.hub.connectors");
        noClasses().that().resideInAnyPackage("ca.cmp.hub.geo..", "ca.cmp.hub.connectors..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "ca.cmp.hub.program..", "ca.cmp.hub.partnership..", "ca.cmp.hub.graphql..",
                        "ca.cmp.hub.embedded..", "ca.cmp.hub.demo..")
                .check(libraries);
        noClasses().that().resideInAPackage("ca.cmp.hub.geo..")
                .should().dependOnClassesThat().resideInAnyPackage("ca.cmp.hub.connectors..", "tools.jackson..",
                        "com.fasterxml..")
                .check(libraries);
    }
}
