package dev.resilience.sample.soak;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JVM's used heap right after a full GC and its live threads, with the threads grouped by pool (the name
 * without its trailing number) so that a difference says which pool grew.
 *
 * @param usedHeapBytes heap in use after {@link System#gc()}
 * @param liveThreads live threads, daemon or not, except the ones not counted
 * @param threadsByPool live threads by pool name, e.g. {@code http-nio-auto-1-exec-#}
 */
record JvmFootprint(long usedHeapBytes, int liveThreads, Map<String, Integer> threadsByPool) {

    /** A few requests, because one {@link System#gc()} may leave garbage that only the next one frees. */
    private static final int GC_REQUESTS = 3;

    /**
     * @param notCountedPrefix names of threads that are not counted (the load generator's own)
     * @return the footprint now, the heap measured after full GCs
     */
    static JvmFootprint afterGc(String notCountedPrefix) {
        for (int i = 0; i < GC_REQUESTS; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Map<String, Integer> pools = new TreeMap<>();
        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name -> !name.startsWith(notCountedPrefix))
                .forEach(name -> pools.merge(pool(name), 1, Integer::sum));
        return new JvmFootprint(used, pools.values().stream().mapToInt(Integer::intValue).sum(), pools);
    }

    /** @return used heap in MiB, for the summary */
    double usedHeapMib() {
        return usedHeapBytes / (1024.0 * 1024.0);
    }

    /**
     * @param later a footprint taken after this one
     * @return the pools whose thread count changed, e.g. {@code http-nio-auto-1-exec-# 70 -> 72}, or "none"
     */
    String poolChangesUntil(JvmFootprint later) {
        StringBuilder changes = new StringBuilder();
        TreeSet<String> pools = new TreeSet<>(threadsByPool.keySet());
        pools.addAll(later.threadsByPool.keySet());
        for (String pool : pools) {
            int before = threadsByPool.getOrDefault(pool, 0);
            int after = later.threadsByPool.getOrDefault(pool, 0);
            if (before != after) {
                changes.append(changes.isEmpty() ? "" : ", ").append(pool).append(' ').append(before).append(" -> ").append(after);
            }
        }
        return changes.isEmpty() ? "none" : changes.toString();
    }

    private static String pool(String threadName) {
        return threadName.replaceAll("[0-9]+$", "#");
    }
}
