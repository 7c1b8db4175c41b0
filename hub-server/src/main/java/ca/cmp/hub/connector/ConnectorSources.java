package ca.cmp.hub.connector;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.ConnectorKind;
import ca.cmp.hub.connectors.csv.CsvConnector;
import ca.cmp.hub.connectors.geojson.GeoJsonConnector;
import ca.cmp.hub.connectors.graphql.ClientCredentials;
import ca.cmp.hub.connectors.graphql.GraphQlSourceConnector;
import ca.cmp.hub.connectors.graphql.GraphQlSourceMapping;
import ca.cmp.hub.connectors.graphql.HubGraphQlConnector;
import ca.cmp.hub.connectors.hsds.HsdsApiConnector;
import ca.cmp.hub.connectors.hsds.HsdsPackageConnector;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.ImportFolder;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.opendata.OpenDataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Turns registrations into working connectors, and checks a registration before it is stored: the location
 * through the same guard every request goes through (public addresses only, files only in import folders), the
 * mapping, and the schedule.
 */
@Component
class ConnectorSources {

    private static final Logger log = LoggerFactory.getLogger(ConnectorSources.class);

    /** Why a registration cannot be stored: the input field and the reason. */
    record Invalid(String field, String message) {
    }

    private final SourceFetcher fetcher;
    private final FsaCentroids postalCodes;
    private final SealedSecrets secrets;

    ConnectorSources(ConnectorProperties properties, SealedSecrets secrets) {
        this.secrets = secrets;
        Optional<Path> openData = OpenDataDirectory.find(properties.openDataDir());
        List<ImportFolder> folders = new ArrayList<>();
        openData.ifPresent(d -> folders.add(new ImportFolder("open-data", d)));
        properties.importDirs().forEach(d -> folders.add(ImportFolder.parse(d)));
        this.fetcher = new SourceFetcher(new AddressGuard(properties.allowedNetworks()),
                new SourceFetcher.Limits(properties.connectTimeout(), properties.readTimeout(),
                        properties.maxSize().toBytes(), properties.attempts(), properties.backoff()), folders);
        this.postalCodes = openData.map(ConnectorSources::fsaCentroids).orElseGet(() -> {
            log.warn("No open-data bundle: connectors cannot place records by postal code");
            return FsaCentroids.empty();
        });
    }

    private static FsaCentroids fsaCentroids(Path openData) {
        Path file = openData.resolve("postal/fsa_centroids.csv");
        try {
            return FsaCentroids.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("Cannot read {}: connectors cannot place records by postal code", file);
            return FsaCentroids.empty();
        }
    }

    /** The postal-code table connectors place records without coordinates by. */
    FsaCentroids postalCodes() {
        return postalCodes;
    }

    Connector build(ConnectorDefinition definition) {
        String location = definition.location();
        return switch (definition.kind()) {
            case HSDS_API -> new HsdsApiConnector(location, fields(definition), fetcher, postalCodes);
            case HSDS_PACKAGE -> new HsdsPackageConnector(location, fields(definition), fetcher, postalCodes);
            case GEOJSON -> new GeoJsonConnector(location, fields(definition), fetcher, postalCodes);
            case CSV -> new CsvConnector(location, fields(definition), fetcher, postalCodes);
            // A mapping with a query: a generic GraphQL source; without (every hub-to-hub registration): a hub.
            case GRAPHQL -> GraphQlSourceMapping.describesSource(definition.mapping())
                    ? new GraphQlSourceConnector(location, GraphQlSourceMapping.of(definition.mapping()),
                            clientCredentials(definition), fetcher, postalCodes)
                    : new HubGraphQlConnector(location, clientCredentials(definition), fetcher);
        };
    }

    private static FieldMapping fields(ConnectorDefinition definition) {
        return FieldMapping.of(definition.mapping());
    }

    /**
     * Whether the connector's source can be asked what changed since a time (HSDS {@code modified_after}, a hub's
     * {@code changedSince}); the others are read in full every run.
     */
    boolean readsChanges(ConnectorDefinition definition) {
        return definition.kind() == ConnectorKind.HSDS_API || definition.kind() == ConnectorKind.GRAPHQL
                && !GraphQlSourceMapping.describesSource(definition.mapping());
    }

    /** The upstream client with its secret opened, for one run; null for a connector that reads anonymously. */
    private ClientCredentials clientCredentials(ConnectorDefinition definition) {
        ConnectorDefinition.Credentials c = definition.credentials();
        if (c == null) {
            return null;
        }
        String secret = c.sealedSecret() == null ? null : secrets.open(definition.id(), c.sealedSecret());
        return new ClientCredentials(URI.create(c.tokenUrl()), c.clientId(), secret);
    }

    /** /oauth2/token on the location's scheme, host and port (a hub's own issuer). */
    static String defaultTokenUrl(String location) {
        try {
            URI uri = new URI(location);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), "/oauth2/token", null, null)
                    .toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return location;
        }
    }

    /** Why an http(s) URL may not be reached (the guard's reason), if it may not. */
    Optional<String> checkUrl(String url) {
        if (!SourceFetcher.isUrl(url) || url.length() > 2000) {
            return Optional.of("must be an http(s) URL, at most 2,000 characters");
        }
        try {
            fetcher.checkLocation(url);
            return Optional.empty();
        } catch (ConnectorException e) {
            return Optional.of(e.getMessage());
        }
    }

    Optional<Invalid> check(String name, ConnectorKind kind, String location, Map<String, Object> mapping,
            String schedule) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            return Optional.of(new Invalid("connector.name", "is required, at most 200 characters"));
        }
        if (location == null || location.isBlank() || location.length() > 2000) {
            return Optional.of(new Invalid("connector.location", "is required, at most 2,000 characters"));
        }
        if (kind == ConnectorKind.HSDS_API && !SourceFetcher.isUrl(location)) {
            return Optional.of(new Invalid("connector.location", "an HSDS API connector needs an http(s) URL, the "
                    + "API's base (the part before /services)"));
        }
        if (kind == ConnectorKind.GRAPHQL && !SourceFetcher.isUrl(location)) {
            return Optional.of(new Invalid("connector.location", "a GRAPHQL connector needs an http(s) URL, the "
                    + "upstream hub's or source's GraphQL endpoint (e.g. https://hub.example/graphql)"));
        }
        try {
            fetcher.checkLocation(location);
        } catch (ConnectorException e) {
            return Optional.of(new Invalid("connector.location", e.getMessage()));
        }
        try {
            if (kind == ConnectorKind.GRAPHQL) {
                Optional<Invalid> query = checkGraphQl(mapping);
                if (query.isPresent()) {
                    return query;
                }
            } else {
                FieldMapping.of(mapping);
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(new Invalid("connector." + e.getMessage().replaceFirst(":.*", ""),
                    e.getMessage().replaceFirst("^[^:]*: ", "")));
        }
        if (schedule != null && !schedule.isBlank()) {
            try {
                CronExpression.parse(schedule);
            } catch (IllegalArgumentException e) {
                return Optional.of(new Invalid("connector.schedule", "\"" + schedule + "\" is not a cron expression "
                        + "(six fields: second minute hour day month weekday, e.g. \"0 0 3 * * *\" for 03:00 daily): "
                        + e.getMessage()));
            }
        }
        return Optional.empty();
    }

    /**
     * A GRAPHQL connector's mapping: none (another hub), or a generic source's, whose query must be one query
     * operation declaring the paging variables the mapping sends.
     *
     * @throws IllegalArgumentException {@code "mapping.<key>: <reason>"}, as {@link GraphQlSourceMapping#of} does
     */
    private static Optional<Invalid> checkGraphQl(Map<String, Object> mapping) {
        if (mapping == null || mapping.isEmpty()) {
            return Optional.empty();
        }
        if (!GraphQlSourceMapping.describesSource(mapping)) {
            return Optional.of(new Invalid("connector.mapping.query", "is required for a generic GraphQL source (the "
                    + "query it is asked; see docs/hub-to-hub.md); leave the mapping out to pull another Mentoring "
                    + "Network Hub"));
        }
        GraphQlSourceMapping source = GraphQlSourceMapping.of(mapping);
        return SourceQuery.check(source.query(), source.cursorVariable(), source.pageSizeVariable())
                .map(reason -> new Invalid("connector.mapping.query", reason));
    }
}
