package dev.resilience.benchmarks;

import reactor.core.publisher.Mono;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Set-up checks of the reactive benchmarks: a benchmark that claims to measure a protected subscription fails to start
 * unless its breaker records each subscription, and only the subscription.
 */
final class ReactiveChecks {

    private ReactiveChecks() {
    }

    /**
     * @param side which library, for the message
     * @param mono gives the {@code Mono} the benchmark subscribes to (assembling it if the benchmark does)
     * @param successes reads the breaker's count of successful calls
     * @throws IllegalStateException if assembling records a call, or a subscription records other than one success
     */
    static void recordsOneSuccessPerSubscription(String side, Supplier<Mono<Integer>> mono, LongSupplier successes) {
        long before = successes.getAsLong();
        Mono<Integer> assembled = mono.get();
        if (successes.getAsLong() != before) {
            throw new IllegalStateException(side + ": the breaker recorded a call before any subscription");
        }
        ValueSubscriber.valueOf(assembled);
        long after = successes.getAsLong();
        if (after != before + 1) {
            throw new IllegalStateException(side + ": one subscription recorded " + (after - before) + " successes, not 1");
        }
    }
}
