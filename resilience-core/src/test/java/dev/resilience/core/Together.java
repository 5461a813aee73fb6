package dev.resilience.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Test helper: runs the same work on several threads that start together, and waits for all of them. */
public final class Together {

    /** The work of one thread. */
    @FunctionalInterface
    public interface Work {
        /**
         * @param me this thread's index, from 0
         * @throws Exception fails the run
         */
        void run(int me) throws Exception;
    }

    private Together() {
    }

    /**
     * @param threads how many threads
     * @param work what each runs, given its index; they pass one barrier first, so they overlap
     * @throws Exception what a thread threw, or a timeout (10 s to start, 60 s to finish)
     */
    public static void run(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    work.run(me);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
