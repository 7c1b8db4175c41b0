package ca.cmp.hub.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One computation per key at a time in this process: a caller that asks for a key already being computed waits
 * for that computation's result (or its failure) instead of starting the same work again. Without it, a map
 * opened on a new data version sent a dozen tile requests that each computed the same whole-layer analysis side
 * by side, on two cores, each the slower for the others.
 *
 * <p>Keys must name everything the result depends on (the data version included): a later caller with the same
 * key gets the same object, so values must be immutable or copied by the caller. Nothing is kept once the
 * computation ends; the shared cache keeps results.
 */
public final class SingleFlight<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    /** What this call did: computed the value itself, or waited for another caller's computation. */
    public enum Role { LEADER, FOLLOWER }

    /** A value and how this caller got it. */
    public record Outcome<V>(V value, Role role) {
    }

    /** The value of {@code compute} for {@code key}, computed by this call or by the one already running. */
    public Outcome<V> get(K key, Supplier<V> compute) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return new Outcome<>(other.join(), Role.FOLLOWER);
            } catch (CompletionException e) {
                // The leader's own exception, as if this caller had computed it.
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
        try {
            V value = compute.get();
            mine.complete(value);
            return new Outcome<>(value, Role.LEADER);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }
}
