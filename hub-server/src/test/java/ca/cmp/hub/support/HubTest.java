package ca.cmp.hub.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * A full hub against a real PostGIS and Redis: the embedded ones, started once per test JVM in a throw-away
 * directory (or external ones through HUB_DB_URL / HUB_REDIS_URL). Every test class makes its own partnership,
 * so classes sharing the database never see each other's programs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest
@AutoConfigureGraphQlTester
@ActiveProfiles("test")
@Import(StatementCounter.Configuration.class)
public @interface HubTest {
}
