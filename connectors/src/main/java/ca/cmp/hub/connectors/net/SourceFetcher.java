package ca.cmp.hub.connectors.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import ca.cmp.hub.connectors.ConnectorException;

/**
 * Gets the bytes behind a connector's location, defensively: an http(s) URL through the {@link AddressGuard}
 * (every redirect hop checked), or a file under one of the import folders an administrator configured
 * (so a partner cannot read the server's own files, nor learn where the folders are or what exists outside). Every read is bounded in time (connect, and the whole body)
 * and size; transient failures (timeouts, connection errors, 5xx, 429) are retried with exponential backoff.
 */
public final class SourceFetcher {

    /**
     * @param connectTimeout to open a connection
     * @param readTimeout    for the whole response, headers and body (a server that trickles is cut off)
     * @param maxBytes       largest body or file accepted
     * @param attempts       tries per request, the first included
     * @param backoff        wait before the second try; doubled each time
     */
    public record Limits(Duration connectTimeout, Duration readTimeout, long maxBytes, int attempts,
            Duration backoff) {

        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 256L << 20, 3, Duration.ofSeconds(1));
        }
    }

    private static final int MAX_REDIRECTS = 5;

    private final AddressGuard guard;
    private final List<ImportFolder> folders;
    private final Limits limits;
    private final HttpClient http;

    /** Import folders named by their last segment. */
    public SourceFetcher(AddressGuard guard, List<Path> fileRoots, Limits limits) {
        this(guard, limits, fileRoots.stream().map(ImportFolder::of).toList());
    }

    public SourceFetcher(AddressGuard guard, Limits limits, List<ImportFolder> folders) {
        this.guard = guard;
        this.folders = folders.stream()
                .map(f -> new ImportFolder(f.name(), f.path().toAbsolutePath().normalize())).toList();
        this.limits = limits;
        // Redirects are followed by hand, so that each hop goes through the guard.
        this.http = HttpClient.newBuilder().connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Limits limits() {
        return limits;
    }

    /** Whether a location is a URL (as opposed to a file path). */
    public static boolean isUrl(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** Checks a location without reading it: the guard for URLs, the import folders for files. */
    public void checkLocation(String location) throws ConnectorException {
        if (isUrl(location)) {
            guard.check(uri(location));
        } else {
            file(location);
        }
    }

    /** The whole content of a location. */
    public byte[] fetch(String location) throws ConnectorException {
        if (isUrl(location)) {
            return get(uri(location));
        }
        Resolved file = resolve(location);
        try {
            long size = Files.size(file.real());
            if (size > limits.maxBytes()) {
                throw new ConnectorException(file.shown() + " is " + size + " bytes; the limit is "
                        + limits.maxBytes(), false);
            }
            return Files.readAllBytes(file.real());
        } catch (NoSuchFileException e) {
            throw new ConnectorException("no file " + file.shown(), false, e);
        } catch (IOException e) {
            // The exception's message would name the real path; say what failed in the caller's terms.
            throw new ConnectorException("cannot read " + file.shown() + " (" + e.getClass().getSimpleName()
                    + ")", false, e);
        }
    }

    /** A file location resolved under an import folder, or a refusal. */
    public Path file(String location) throws ConnectorException {
        return resolve(location).real();
    }

    /** A file's real path, and how messages show it: the folder's name and the path inside it. */
    private record Resolved(Path real, String shown) {
    }

    /**
     * Every location outside the import folders gets one and the same answer, decided on the path as written
     * (made absolute, {@code ..} removed) before the file system is asked anything: whether something exists
     * there is not the caller's business. Inside a folder, the real path must still be in one, so symbolic links
     * cannot lead out.
     */
    private Resolved resolve(String location) throws ConnectorException {
        Path path;
        try {
            path = location.startsWith("file:") ? Path.of(new URI(location)) : Path.of(location);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConnectorException("\"" + location + "\" is neither an http(s) URL nor a file path", false);
        }
        Path absolute = path.toAbsolutePath().normalize();
        ImportFolder folder = containing(absolute, false);
        if (folder == null) {
            throw outside();
        }
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (IOException e) {
            throw new ConnectorException("no file or folder " + shown(folder, absolute)
                    + " in the import folders", false, e);
        }
        ImportFolder holding = containing(real, true);
        if (holding == null) {
            throw outside();
        }
        return new Resolved(real, shown(holding, real));
    }

    private ConnectorException outside() {
        return new ConnectorException("files can be read only from the import folders " + folders.stream()
                .map(f -> "\"" + f.name() + "\"").collect(Collectors.joining(", ")) + " (hub.connectors.import-dirs); "
                + "this location is not in one", false);
    }

    /** The folder a path lies in: compared with each folder's path as configured, or as really resolved. */
    private ImportFolder containing(Path path, boolean realOnly) {
        for (ImportFolder folder : folders) {
            if (!realOnly && path.startsWith(folder.path())) {
                return folder;
            }
            Path real = realPath(folder);
            if (real != null && path.startsWith(real)) {
                return folder;
            }
        }
        return null;
    }

    private static Path realPath(ImportFolder folder) {
        try {
            return folder.path().toRealPath();
        } catch (IOException missingFolder) {
            // an import folder that does not exist allows nothing
            return null;
        }
    }

    private static String shown(ImportFolder folder, Path path) {
        Path real = realPath(folder);
        Path base = path.startsWith(folder.path()) ? folder.path() : real != null && path.startsWith(real) ? real
                : path;
        String inside = base.relativize(path).toString();
        return "\"" + folder.name() + (inside.isEmpty() ? "" : "/" + inside) + "\"";
    }

    /** A response status other than 200 (after redirects): its code, for callers that act on one (401). */
    public static final class UnexpectedStatus extends ConnectorException {
        private final int status;

        UnexpectedStatus(String message, int status, boolean transientFailure) {
            super(message, transientFailure);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** One request's method, body and extra headers; a GET has no body. */
    private record Request(String contentType, byte[] body, Map<String, String> headers) {
        static final Request GET = new Request(null, null, Map.of());
    }

    /** GET with retries for transient failures; the body of a 200 response. */
    public byte[] get(URI uri) throws ConnectorException {
        return withRetries(uri, Request.GET);
    }

    /**
     * POST with retries for transient failures; the body of a 200 response. Through the guard like a GET, but a
     * redirect is refused rather than followed (it would resend the body, credentials included, elsewhere).
     *
     * @param headers extra request headers (e.g. Authorization); they appear in no message
     */
    public byte[] post(URI uri, String contentType, byte[] body, Map<String, String> headers)
            throws ConnectorException {
        return withRetries(uri, new Request(contentType, body, headers));
    }

    private byte[] withRetries(URI uri, Request request) throws ConnectorException {
        ConnectorException last = null;
        long wait = limits.backoff().toMillis();
        for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
            try {
                return sendOnce(uri, request);
            } catch (ConnectorException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                last = e;
            }
            if (attempt < limits.attempts()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectorException("interrupted while waiting to retry " + uri, false, e);
                }
                wait *= 2;
            }
        }
        throw new ConnectorException(last.getMessage() + " (after " + limits.attempts() + " attempts)", true, last);
    }

    private byte[] sendOnce(URI start, Request call) throws ConnectorException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            guard.check(uri);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(limits.readTimeout())
                    .header("Accept", "application/json, application/geo+json, text/csv, */*")
                    .header("User-Agent", "cmp-mentoring-network-hub");
            call.headers().forEach(builder::header);
            HttpRequest request = call.body() == null ? builder.GET().build()
                    : builder.header("Content-Type", call.contentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(call.body())).build();
            CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            long deadline = System.nanoTime() + limits.readTimeout().toNanos();
            HttpResponse<InputStream> response;
            try {
                response = pending.get(limits.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                pending.cancel(true);
                throw new ConnectorException(uri + " did not answer within " + limits.readTimeout().toSeconds()
                        + " s", true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException("interrupted while reading " + uri, false, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // The request's own timeout is as long as the wait above, and either may fire first: both mean
                // the server did not answer in time (a connect timeout is the server not being reachable).
                if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                    throw new ConnectorException(uri + " did not answer within " + limits.readTimeout().toSeconds()
                            + " s", true, cause);
                }
                boolean timeout = cause instanceof HttpTimeoutException;
                throw new ConnectorException("cannot reach " + uri + ": " + (timeout ? "timed out"
                        : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage())),
                        true, cause);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                close(response.body());
                if (call.body() != null) {
                    throw new UnexpectedStatus(uri + " redirected (" + status + "); a POST is not followed: "
                            + "register the address it redirects to", status, false);
                }
                URI from = uri;
                String location = response.headers().firstValue("Location").orElseThrow(
                        () -> new ConnectorException(from + " redirected (" + status + ") without a Location", false));
                uri = uri.resolve(location);
                continue;
            }
            if (status != 200) {
                close(response.body());
                boolean retry = status >= 500 || status == 429 || status == 408;
                throw new UnexpectedStatus(uri + " answered HTTP " + status, status, retry);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limits.maxBytes()) {
                close(response.body());
                throw new ConnectorException(uri + " sends " + declared + " bytes; the limit is " + limits.maxBytes(),
                        false);
            }
            return readBody(uri, response.body(), deadline, declared);
        }
        throw new ConnectorException(start + " redirected more than " + MAX_REDIRECTS + " times", false);
    }

    private byte[] readBody(URI uri, InputStream body, long deadline, long declared) throws ConnectorException {
        // A watchdog closes the stream at the deadline, which unblocks a read stuck on a silent server.
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> close(body),
                CompletableFuture.delayedExecutor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        try (body) {
            List<byte[]> chunks = new ArrayList<>();
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > limits.maxBytes()) {
                    throw new ConnectorException(uri + " sent more than the limit of " + limits.maxBytes() + " bytes",
                            false);
                }
                byte[] chunk = new byte[n];
                System.arraycopy(buffer, 0, chunk, 0, n);
                chunks.add(chunk);
            }
            if (System.nanoTime() >= deadline) {
                throw new ConnectorException(uri + " did not finish sending within "
                        + limits.readTimeout().toSeconds() + " s", true);
            }
            if (declared >= 0 && total < declared) {
                throw new ConnectorException(uri + " sent " + total + " of the " + declared
                        + " bytes it announced (truncated)", true);
            }
            byte[] all = new byte[(int) total];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return all;
        } catch (IOException e) {
            boolean timedOut = System.nanoTime() >= deadline;
            throw new ConnectorException(uri + (timedOut ? " did not finish sending within "
                    + limits.readTimeout().toSeconds() + " s" : " broke off while sending: " + e.getMessage()), true, e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    private static URI uri(String location) throws ConnectorException {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new ConnectorException("\"" + location + "\" is not a valid URL: " + e.getReason(), false);
        }
    }
}
