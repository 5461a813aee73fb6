package dev.resilience.bulkhead;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a body on many threads at once, round after round, checking invariants between rounds. */
final class Rounds {

    /** What one thread does in one round. */
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Exception;
    }

    private Rounds() {
    }

    static void run(int threads, int rounds, Body body, Runnable afterEachRound) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        body.run(thread);
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
                afterEachRound.run();
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new AssertionError("test threads did not end");
            }
        }
    }
}
