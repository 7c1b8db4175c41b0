package ca.cmp.hub.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import ca.cmp.hub.ratelimit.Buckets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;

/**
 * Who may call the hub. One model for every door: the HTTP layer only authenticates (a bearer JWT, or
 * anonymous); what each caller may read or change is decided in the services, per record, through
 * {@link CurrentCaller}.
 *
 * <p>By default the hub is its own token issuer (Spring Authorization Server, client-credentials grant, its
 * clients rows of {@link ApiClients}), signing with a key that survives restarts. In production,
 * {@code hub.security.jwk-set-uri} and {@code hub.security.issuer} point at any OIDC issuer, whose tokens must
 * carry {@code roles} (and {@code partnership} for partners) claims and the hub's audience.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String ROLES = "roles";
    static final String PARTNERSHIP = "partnership";
    static final String GENERATION = "gen";

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /**
     * The embedded issuer offers the client-credentials grant only; the browser flows' endpoints answer 404 rather
     * than reaching code that expects a redirect URI no client has (a 500).
     */
    static final String[] NOT_OFFERED = {"/oauth2/authorize", "/oauth2/device_authorization",
            "/oauth2/device_verification", "/oauth2/par", "/connect/register", "/connect/logout", "/userinfo"};

    @Bean
    @Order(0)
    SecurityFilterChain notOffered(HttpSecurity http) throws Exception {
        http.securityMatcher(NOT_OFFERED)
                .authorizeHttpRequests(requests -> requests.anyRequest().denyAll())
                .exceptionHandling(errors -> {
                    errors.authenticationEntryPoint((request, response, e) -> notOffered(response));
                    errors.accessDeniedHandler((request, response, e) -> notOffered(response));
                })
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    private static void notOffered(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        response.setStatus(404);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"unsupported\",\"error_description\":\"this hub issues tokens "
                + "by the client-credentials grant only: POST /oauth2/token\"}");
    }

    @Bean
    @Order(1)
    @ConditionalOnExpression("'${hub.security.jwk-set-uri:}'.isBlank()")
    SecurityFilterChain authorizationServer(HttpSecurity http, Buckets buckets, SecurityProperties properties,
            AccessAudit audit) throws Exception {
        http.oauth2AuthorizationServer(server -> http.securityMatcher(server.getEndpointsMatcher()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // A token request without client credentials: say so, as the token endpoint does for wrong ones.
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
                    response.setStatus(401);
                    response.setHeader("WWW-Authenticate", "Basic realm=\"hub\"");
                    response.setContentType("application/json");
                    response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":\"client "
                            + "credentials are required: HTTP Basic with the client id and secret\"}");
                }))
                .addFilterBefore(new FailedSecrets(buckets, properties.failedSecrets(), audit),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @ConditionalOnExpression("'${hub.security.jwk-set-uri:}'.isBlank()")
    OAuth2AuthorizationService issuedTokens(JwtDecoder decoder, RegisteredClientRepository registered,
            ApiClients clients) {
        return new IssuedTokens(decoder, registered, clients);
    }

    /** The first administrator (and any other configured client), inserted once; never overwritten. */
    @Bean
    ApplicationRunner bootstrapClients(SecurityProperties properties, ApiClients clients, JdbcClient jdbc) {
        return args -> {
            for (SecurityProperties.Client client : properties.clients() == null
                    ? List.<SecurityProperties.Client>of() : properties.clients()) {
                boolean partnershipKnown = client.partnership() == null || client.partnership().isBlank()
                        || jdbc.sql("SELECT count(*) FROM partnership WHERE slug = :s").param("s",
                                client.partnership()).query(Integer.class).single() > 0;
                if (!partnershipKnown) {
                    log.warn("hub.security.clients: {} names the unknown partnership {}; not created", client.id(),
                            client.partnership());
                } else if (clients.ensure(client)) {
                    log.info("Created the configured API client {} ({})", client.id(), client.role());
                }
            }
        };
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // Metrics tell load, failures and data sizes: administrators only (401 without a token).
                        .requestMatchers("/actuator/prometheus").hasAuthority(Role.ADMIN.authority())
                        // GraphQL decides per field and per record; everything else here is public.
                        .anyRequest().permitAll())
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(decoder)
                        .jwtAuthenticationConverter(new RolesClaimConverter())))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(SecurityProperties properties,
            @Value("${hub.embedded.data-dir:}") String embeddedDataDir) {
        Path file = properties.keyFile() != null && !properties.keyFile().isBlank() ? Path.of(properties.keyFile())
                : defaultKeyFile(embeddedDataDir);
        RSAKey key = SigningKey.loadOrCreate(file);
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    private static Path defaultKeyFile(String embeddedDataDir) {
        if (!embeddedDataDir.isBlank()) {
            return Path.of(embeddedDataDir, "issuer-key.jwk");
        }
        return "root".equals(System.getProperty("user.name")) ? Path.of("/var/lib/cmp-hub/issuer-key.jwk")
                : Path.of(System.getProperty("user.home"), ".local", "share", "cmp-hub", "issuer-key.jwk");
    }

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties, JWKSource<SecurityContext> keys, ApiClients clients) {
        NimbusJwtDecoder decoder = properties.embeddedIssuer()
                ? NimbusJwtDecoder.withJwkSource(keys).build()
                : NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(properties.audience()) ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                "the token is not for audience " + properties.audience(), null));
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), audience));
        if (properties.embeddedIssuer()) {
            // Revocation and rotation take effect on the next request: the client and the token are looked up.
            validators.add(jwt -> {
                Object generation = jwt.getClaims().get(GENERATION);
                boolean valid = generation instanceof Number n
                        && clients.tokenStillValid(jwt.getSubject(), n.intValue(), jwt.getId());
                return valid ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                "the token was revoked, or its client was revoked or rotated", null));
            });
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    @Bean
    RegisteredClientRepository registeredClients(ApiClients clients, SecurityProperties properties) {
        return new DatabaseClients(clients, Duration.ofMinutes(properties.tokenTtl()));
    }

    /** Every token carries its client's roles, partnership and generation (which revocation and rotation bump). */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> hubClaims(SecurityProperties properties) {
        return context -> {
            ClientSettings settings = context.getRegisteredClient().getClientSettings();
            context.getClaims().audience(List.of(properties.audience()));
            context.getClaims().claim(ROLES, settings.<List<String>>getSetting(DatabaseClients.ROLES));
            String partnership = settings.getSetting(DatabaseClients.PARTNERSHIP);
            if (partnership != null && !partnership.isBlank()) {
                context.getClaims().claim(PARTNERSHIP, partnership);
            }
            context.getClaims().claim(GENERATION, settings.<Integer>getSetting(DatabaseClients.GENERATION));
        };
    }

    /** {@code roles: ["PARTNER"]} becomes the authority ROLE_PARTNER; nothing else grants anything. */
    static final class RolesClaimConverter implements Converter<Jwt, AbstractAuthenticationToken> {
        @Override
        public AbstractAuthenticationToken convert(Jwt jwt) {
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            List<String> roles = jwt.getClaimAsStringList(ROLES);
            if (roles != null) {
                for (String role : roles) {
                    try {
                        authorities.add(new SimpleGrantedAuthority(Role.valueOf(role).authority()));
                    } catch (IllegalArgumentException unknown) {
                        // A role this hub does not know grants nothing.
                    }
                }
            }
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        }
    }
}
