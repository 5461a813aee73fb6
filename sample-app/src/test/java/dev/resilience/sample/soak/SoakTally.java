package dev.resilience.sample.soak;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the soak's answers by phase, status and category, and keeps the first few violations verbatim. Thread-safe
 * and lock-free: the clients record concurrently. Its size is bounded by the phases and categories, not by the number
 * of requests.
 */
final class SoakTally {

    /** The statuses the summary gives a column of their own; any other lands in "other". */
    private static final List<Integer> COLUMNS = List.of(200, 201, 429, 500, 502, 503, 504);
    private static final int KEPT_VIOLATIONS = 20;

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder violations = new LongAdder();
    private final AtomicInteger keptViolations = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> firstViolations = new ConcurrentLinkedQueue<>();

    /**
     * @param phase the phase the request was sent in
     * @param answer what it got
     */
    void record(String phase, SoakAnswer answer) {
        counts.computeIfAbsent(new Key(phase, answer.status(), answer.category()), key -> new LongAdder()).increment();
        if (!answer.isAllowed()) {
            violations.increment();
            if (keptViolations.getAndIncrement() < KEPT_VIOLATIONS) {
                firstViolations.add("[" + phase + "] " + answer.category() + ": " + answer.violation());
            }
        }
    }

    /** @return answers of every phase */
    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * @param status an HTTP status, or 0 for answers that never arrived
     * @return answers of every phase with that status
     */
    long withStatus(int status) {
        return counts.entrySet().stream().filter(e -> e.getKey().status() == status).mapToLong(e -> e.getValue().sum()).sum();
    }

    /**
     * @param phase a phase name
     * @return every category of answer in that phase, with its count
     */
    Map<String, Long> categoriesIn(String phase) {
        Map<String, Long> categories = new TreeMap<>();
        counts.forEach((key, count) -> {
            if (key.phase().equals(phase)) {
                categories.merge(key.category(), count.sum(), Long::sum);
            }
        });
        return categories;
    }

    /** @return answers the contract does not allow */
    long violations() {
        return violations.sum();
    }

    /** @return the first violations, each with its phase and why */
    List<String> firstViolations() {
        return List.copyOf(firstViolations);
    }

    /**
     * @param phases the phase names in the order they ran
     * @return a table of statuses by phase, then every category with its count
     */
    String summary(List<String> phases) {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-44s", "phase"));
        COLUMNS.forEach(status -> table.append(String.format("%8d", status)));
        table.append(String.format("%8s%8s%n", "other", "total"));
        long[] totals = new long[COLUMNS.size() + 2];
        for (String phase : phases) {
            long[] row = new long[COLUMNS.size() + 2];
            counts.forEach((key, count) -> {
                if (key.phase().equals(phase)) {
                    int column = COLUMNS.indexOf(key.status());
                    row[column < 0 ? COLUMNS.size() : column] += count.sum();
                    row[COLUMNS.size() + 1] += count.sum();
                }
            });
            table.append(String.format("%-44s", phase));
            for (int i = 0; i < row.length; i++) {
                table.append(String.format("%8d", row[i]));
                totals[i] += row[i];
            }
            table.append(System.lineSeparator());
        }
        table.append(String.format("%-44s", "all phases"));
        for (long total : totals) {
            table.append(String.format("%8d", total));
        }
        table.append(System.lineSeparator()).append(System.lineSeparator());
        table.append(String.format("%-52s%10s%n", "answer", "count"));
        byCategory().forEach((category, count) -> table.append(String.format("%-52s%10d%n", category, count)));
        table.append(String.format("%-52s%10d%n", "violations of the contract", violations()));
        firstViolations.forEach(violation -> table.append("  ").append(violation).append(System.lineSeparator()));
        return table.toString();
    }

    private Map<String, Long> byCategory() {
        Map<String, Long> categories = new TreeMap<>();
        counts.forEach((key, count) -> categories.merge(key.category(), count.sum(), Long::sum));
        return categories;
    }

    private record Key(String phase, int status, String category) {
    }
}
