package ca.cmp.hub.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A full hub on a random port, as outside callers meet it (see {@link HubHttp}); the rate limit is off so that a
 * test's few hundred requests meet the checks under test rather than 429. Classes with this annotation share one
 * context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hub.rate-limit.enabled=false")
@ActiveProfiles("test")
public @interface HubOverHttp {
}
