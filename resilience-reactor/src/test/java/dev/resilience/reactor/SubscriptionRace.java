package dev.resilience.reactor;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Many threads subscribe at once, each {@code perThread} times, to a protected {@code Mono} over a reply of its own,
 * then either emit the reply (even iterations) or cancel the subscription (odd ones). Counts the values and errors
 * the subscriptions receive.
 */
final class SubscriptionRace {

    final AtomicInteger values = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();

    /**
     * @param protectedOver the {@code Mono} to subscribe to, given the subscription's reply
     * @return once every thread has finished (within 30 seconds each)
     */
    SubscriptionRace run(int threads, int perThread, UnaryOperator<Mono<String>> protectedOver) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Sinks.One<String> reply = Sinks.one();
                        Disposable subscription = protectedOver.apply(reply.asMono())
                                .subscribe(v -> values.incrementAndGet(), e -> errors.incrementAndGet());
                        if (i % 2 == 0) {
                            reply.tryEmitValue("done");
                        } else {
                            subscription.dispose();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }
}
