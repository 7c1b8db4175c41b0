package ca.cmp.hub.graphql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import org.locationtech.jts.geom.Geometry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema's custom scalars. {@code GeoJSON} is structural only (a JSON object); resolvers parse and validate
 * it with {@link GeoJsonGeometry}, where the argument's path is known for the error message. On output it takes
 * a JTS geometry, a GeoJSON string produced by PostGIS ({@code ST_AsGeoJSON}), or a ready map.
 */
@Configuration(proxyBeanMethods = false)
class Scalars {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    RuntimeWiringConfigurer hubScalars() {
        return wiring -> wiring.scalar(geoJson()).scalar(json()).scalar(dateTime());
    }

    static GraphQLScalarType geoJson() {
        return object("GeoJSON", "A GeoJSON geometry object (RFC 7946)", "a GeoJSON geometry",
                "{\"type\": \"Polygon\", \"coordinates\": [...]}");
    }

    /** Free-form configuration, e.g. a connector's field mapping. */
    static GraphQLScalarType json() {
        return object("JSON", "A JSON object", "a JSON value", "{\"fields\": {\"sourceId\": \"ID\"}}");
    }

    private static GraphQLScalarType object(String name, String description, String what, String example) {
        return GraphQLScalarType.newScalar().name(name).description(description)
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    public Object serialize(Object value, GraphQLContext context, Locale locale) {
                        if (value instanceof Geometry geometry) {
                            return GeoJsonGeometry.write(geometry);
                        }
                        if (value instanceof String json) {
                            return JSON.readValue(json, Map.class);
                        }
                        if (value instanceof Map<?, ?>) {
                            return value;
                        }
                        throw new CoercingSerializeException("not " + what + ": " + value.getClass().getSimpleName());
                    }

                    @Override
                    public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                        if (input instanceof Map<?, ?>) {
                            return input;
                        }
                        throw new CoercingParseValueException(what + " must be a JSON object, like " + example);
                    }

                    @Override
                    public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                            Locale locale) {
                        if (input instanceof ObjectValue) {
                            return literal(input, variables);
                        }
                        throw new CoercingParseLiteralException(what + " must be an object, like " + example);
                    }
                }).build();
    }

    private static Object literal(Value<?> value, CoercedVariables variables) {
        if (value instanceof ObjectValue object) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (ObjectField field : object.getObjectFields()) {
                map.put(field.getName(), literal(field.getValue(), variables));
            }
            return map;
        }
        if (value instanceof ArrayValue array) {
            List<Object> list = new ArrayList<>(array.getValues().size());
            for (Value<?> element : array.getValues()) {
                list.add(literal(element, variables));
            }
            return list;
        }
        if (value instanceof StringValue s) {
            return s.getValue();
        }
        if (value instanceof IntValue i) {
            return i.getValue().doubleValue();
        }
        if (value instanceof FloatValue f) {
            return f.getValue().doubleValue();
        }
        if (value instanceof BooleanValue b) {
            return b.isValue();
        }
        if (value instanceof VariableReference ref) {
            return variables.get(ref.getName());
        }
        if (value instanceof NullValue) {
            return null;
        }
        throw new CoercingParseLiteralException("unsupported GeoJSON literal " + value);
    }

    static GraphQLScalarType dateTime() {
        return GraphQLScalarType.newScalar().name("DateTime").description("ISO-8601 instant with offset")
                .coercing(new Coercing<Instant, String>() {
                    @Override
                    public String serialize(Object value, GraphQLContext context, Locale locale) {
                        if (value instanceof Instant instant) {
                            return instant.atOffset(ZoneOffset.UTC).toString();
                        }
                        if (value instanceof OffsetDateTime time) {
                            return time.toString();
                        }
                        throw new CoercingSerializeException("not an instant: " + value.getClass().getSimpleName());
                    }

                    @Override
                    public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
                        return parse(String.valueOf(input));
                    }

                    @Override
                    public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                            Locale locale) {
                        if (input instanceof StringValue s) {
                            return parse(s.getValue());
                        }
                        throw new CoercingParseLiteralException("a DateTime is an ISO-8601 string");
                    }

                    private Instant parse(String text) {
                        try {
                            return OffsetDateTime.parse(text).toInstant();
                        } catch (DateTimeParseException e) {
                            throw new CoercingParseValueException("\"" + text + "\" is not an ISO-8601 date-time "
                                    + "with offset, like 2026-11-25T14:03:00Z");
                        }
                    }
                }).build();
    }
}
