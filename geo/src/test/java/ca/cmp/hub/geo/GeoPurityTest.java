package ca.cmp.hub.geo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** geo depends on nothing but the JDK, JTS and proj4j: no Spring, no JSON library, nothing of the server. */
class GeoPurityTest {

    @Test
    void geoUsesOnlyTheJdkJtsAndProj4j() {
        JavaClasses geo = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ca.cmp.hub.geo");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "ca.cmp.hub.geo..",
                "org.locationtech.jts..", "org.locationtech.proj4j..").check(geo);
    }
}
