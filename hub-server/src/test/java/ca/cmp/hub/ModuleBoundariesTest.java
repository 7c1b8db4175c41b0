package ca.cmp.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
        // geo, connectors and the shared vocabulary are libraries below the server (their own rules are the next
        // tests), not app modules.
        ApplicationModules.of(HubApplication.class, JavaClass.Predicates.resideInAnyPackage("ca.cmp.hub.geo..",
                "ca.cmp.hub.connectors..", "ca.cmp.hub.model..")).verify();
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

    @Test
    void theVocabularyDependsOnNothingButTheJdk() {
        JavaClasses model = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ca.cmp.hub.model");
        classes().that().resideInAPackage("ca.cmp.hub.model..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "ca.cmp.hub.model..")
                .check(model);
    }

    @Test
    void theServerSpeaksTheVocabularyNotTheConnectorsInternals() {
        JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ca.cmp.hub");
        // Only the connector feature runs connectors (and census imports share their path guard); the program
        // model and everything else speak ca.cmp.hub.model.
        noClasses().that().resideInAPackage("ca.cmp.hub..")
                .and().resideOutsideOfPackages("ca.cmp.hub.connectors..", "ca.cmp.hub.connector..",
                        "ca.cmp.hub.sync..", "ca.cmp.hub.census..")
                .should().dependOnClassesThat().resideInAPackage("ca.cmp.hub.connectors..")
                .check(server);
    }

    @Test
    void controllersLeaveSqlToTheStores() {
        JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ca.cmp.hub");
        noClasses().that().areAnnotatedWith(org.springframework.stereotype.Controller.class)
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..",
                        "org.springframework.jdbc..", "org.postgresql..")
                .check(server);
    }
}
