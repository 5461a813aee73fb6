package dev.resilience.benchmarks;

import java.util.function.Supplier;

/**
 * The protected call: returns a cached boxed value, so the call itself neither allocates nor can be folded away by the
 * JIT into nothing (it is read through an interface the policies cannot see into before inlining).
 */
final class Work {

    /** The value every call returns (a cached Integer: no allocation). */
    static final Integer RESULT = 42;

    /** The work as a plain supplier. */
    static final Supplier<Integer> SUPPLIER = () -> RESULT;

    /** The work as our ThrowingSupplier. */
    static final dev.resilience.core.ThrowingSupplier<Integer, RuntimeException> OURS = () -> RESULT;

    /** The work as Failsafe's CheckedSupplier. */
    static final dev.failsafe.function.CheckedSupplier<Integer> FAILSAFE = () -> RESULT;

    /** A failure without a stack trace, so that filling one is not what the benchmarks measure. */
    static final RuntimeException FAILURE = new RuntimeException("benchmark failure", null, false, false) {
    };

    private Work() {
    }
}
