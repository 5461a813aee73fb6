package dev.resilience.benchmarks.spring;

/**
 * An unannotated bean, proxied by hand to measure what any proxy costs.
 */
public class PlainService {

    private static final Integer RESULT = 42;

    /** @return 42 */
    public Integer call() {
        return RESULT;
    }
}
