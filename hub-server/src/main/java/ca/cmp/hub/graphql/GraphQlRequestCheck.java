package ca.cmp.hub.graphql;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Checks a GraphQL HTTP request before anything else reads it, so that every bad request is a 4xx that says what is
 * wrong: a body over {@code hub.graphql.max-request-size} (413, the rest not read), a body that is not JSON (NaN
 * and Infinity are not JSON numbers), nested deeper than {@value #MAX_NESTING} levels, {@code null} or not an
 * object, or whose {@code query}, {@code operationName}, {@code variables} or {@code extensions} have the wrong
 * type. Errors name the part of the request at fault in {@code extensions.argument}. One streaming pass, no tree.
 * Also withholds GraphiQL when the explorer setting is OFF.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlRequestCheck {

    static final int MAX_NESTING = 64;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> graphQlRequestFilter(GraphQlLimits.Limits limits) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new Check(limits.maxRequestSize().toBytes(), limits.explorer()));
        registration.addUrlPatterns("/graphql", "/graphql/*", "/graphiql", "/graphiql/*");
        // Before authentication and rate limiting: a refused body costs nothing more.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    static final class Check extends OncePerRequestFilter {

        private final long maxBytes;
        private final GraphQlLimits.Explorer explorer;
        private final JsonFactory json;

        Check(long maxBytes, GraphQlLimits.Explorer explorer) {
            this.maxBytes = maxBytes;
            this.explorer = explorer;
            this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING).build()).build();
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.startsWith("/graphiql")) {
                if (explorer == GraphQlLimits.Explorer.OFF) {
                    refuse(response, 404, "request", "GraphiQL is turned off on this hub (hub.graphql.explorer)");
                    return;
                }
                chain.doFilter(request, response);
                return;
            }
            if (!"POST".equals(request.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            String type = request.getContentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                refuse(response, 415, "Content-Type", "Content-Type: must be application/json, got "
                        + (type == null ? "none" : "\"" + first(type) + "\""));
                return;
            }
            long declared = request.getContentLengthLong();
            if (declared > maxBytes) {
                refuse(response, 413, "body", tooLarge());
                return;
            }
            byte[] body = read(request.getInputStream());
            if (body == null) {
                refuse(response, 413, "body", tooLarge());
                return;
            }
            Problem problem = check(body);
            if (problem != null) {
                refuse(response, 400, problem.argument(), problem.message());
                return;
            }
            chain.doFilter(new Buffered(request, body), response);
        }

        private String tooLarge() {
            return "request body: larger than " + maxBytes + " bytes (hub.graphql.max-request-size); send "
                    + "big pushes in several calls";
        }

        /** The body, or null when it is over the limit (then not read further). */
        private byte[] read(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                if (total > maxBytes) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }

        record Problem(String argument, String message) {
        }

        Problem check(byte[] body) {
            try (JsonParser parser = json.createParser(ObjectReadContext.empty(), body)) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return new Problem("body", "request body: empty; send a JSON object with \"query\"");
                }
                if (token != JsonToken.START_OBJECT) {
                    return new Problem("body", "request body: must be a JSON object with \"query\", got "
                            + describe(token));
                }
                boolean query = false;
                while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (name) {
                        case "query" -> {
                            if (value != JsonToken.VALUE_STRING) {
                                return new Problem("query", "query: must be a string (the GraphQL document), got "
                                        + describe(value));
                            }
                            query = true;
                        }
                        case "operationName" -> {
                            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                                return new Problem("operationName", "operationName: must be a string or null, got "
                                        + describe(value));
                            }
                        }
                        case "variables", "extensions" -> {
                            if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                                return new Problem(name, name + ": must be a JSON object or null, got "
                                        + describe(value));
                            }
                        }
                        default -> {
                        }
                    }
                    parser.skipChildren();
                }
                if (token != JsonToken.END_OBJECT) {
                    return new Problem("body", "request body: not valid JSON");
                }
                if (parser.nextToken() != null) {
                    return new Problem("body", "request body: more than one JSON value");
                }
                if (!query) {
                    return new Problem("query", "query: missing; send a JSON object with \"query\"");
                }
                return null;
            } catch (StreamConstraintsException deep) {
                return new Problem("body", "request body: nested deeper than " + MAX_NESTING + " levels");
            } catch (JacksonException invalid) {
                TokenStreamLocation at = invalid.getLocation();
                String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
                String original = invalid.getOriginalMessage();
                String why = original != null && original.contains("Non-standard token")
                        ? "NaN, Infinity and -Infinity are not JSON numbers"
                        : original == null ? "not valid JSON" : first(original);
                return new Problem("body", "request body: not valid JSON" + where + ": " + why);
            }
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case VALUE_NULL -> "null";
                case START_ARRAY -> "an array";
                case START_OBJECT -> "an object";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                default -> token.name();
            };
        }

        /** Jackson's first sentence, without its hints about parser features. */
        private static String first(String message) {
            String line = message.lines().findFirst().orElse(message);
            int colon = line.indexOf(": enable");
            line = colon > 0 ? line.substring(0, colon) : line;
            return line.length() > 200 ? line.substring(0, 200) + "…" : line;
        }

        static void refuse(HttpServletResponse response, int status, String argument, String message)
                throws IOException {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"errors\":[{\"message\":" + quote(message)
                    + ",\"extensions\":{\"classification\":\"BAD_REQUEST\",\"argument\":" + quote(argument) + "}}]}");
        }

        static String quote(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }

    /** The request with its body already read. */
    static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
