package ca.cmp.hub.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call the hub. One model for every door: the HTTP layer only authenticates (a bearer JWT, or
 * anonymous); what each caller may read or change is decided in the services, per record, through
 * {@link CurrentCaller}.
 *
 * <p>By default the hub is its own token issuer (Spring Authorization Server, client-credentials grant, one
 * client per configured role), signing with a key that survives restarts. In production,
 * {@code hub.security.jwk-set-uri} and {@code hub.security.issuer} point at any OIDC issuer, whose tokens must
 * carry {@code roles} (and {@code partnership} for partners) claims and the hub's audience.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfig {

    static final String ROLES = "roles";
    static final String PARTNERSHIP = "partnership";

    @Bean
    @Order(1)
    @ConditionalOnExpression("'${hub.security.jwk-set-uri:}'.isBlank()")
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> http.securityMatcher(server.getEndpointsMatcher()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.disable());
        return http.build();
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
    JwtDecoder jwtDecoder(SecurityProperties properties, JWKSource<SecurityContext> keys) {
        NimbusJwtDecoder decoder = properties.embeddedIssuer()
                ? NimbusJwtDecoder.withJwkSource(keys).build()
                : NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(properties.audience()) ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                "the token is not for audience " + properties.audience(), null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), audience));
        return decoder;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    @Bean
    RegisteredClientRepository registeredClients(SecurityProperties properties) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<RegisteredClient> clients = new ArrayList<>();
        for (SecurityProperties.Client client : properties.clients() == null ? List.<SecurityProperties.Client>of()
                : properties.clients()) {
            clients.add(RegisteredClient.withId(UUID.nameUUIDFromBytes(client.id().getBytes()).toString())
                    .clientId(client.id())
                    .clientSecret(encoder.encode(client.secret()))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scope("hub")
                    .tokenSettings(TokenSettings.builder()
                            .accessTokenTimeToLive(Duration.ofMinutes(properties.tokenTtl())).build())
                    .build());
        }
        if (!clients.isEmpty()) {
            return new InMemoryRegisteredClientRepository(clients);
        }
        // The in-memory repository refuses an empty list; a deployment without clients issues no tokens.
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient registeredClient) {
                throw new UnsupportedOperationException("clients are configured in hub.security.clients");
            }

            @Override
            public RegisteredClient findById(String id) {
                return null;
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return null;
            }
        };
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> hubClaims(SecurityProperties properties) {
        return context -> {
            String clientId = context.getRegisteredClient().getClientId();
            properties.clients().stream().filter(c -> c.id().equals(clientId)).findFirst().ifPresent(client -> {
                context.getClaims().audience(List.of(properties.audience()));
                context.getClaims().claim(ROLES, List.of(client.role().name()));
                if (client.partnership() != null && !client.partnership().isBlank()) {
                    context.getClaims().claim(PARTNERSHIP, client.partnership());
                }
            });
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
