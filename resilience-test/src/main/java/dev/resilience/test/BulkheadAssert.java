package dev.resilience.test;

import dev.resilience.bulkhead.Bulkhead;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a semaphore {@link Bulkhead}'s permits. */
public final class BulkheadAssert extends AbstractAssert<BulkheadAssert, Bulkhead> {

    BulkheadAssert(Bulkhead actual) {
        super(actual, BulkheadAssert.class);
    }

    /**
     * @param calls the permits expected to be free
     * @return this
     */
    public BulkheadAssert hasAvailableConcurrentCalls(int calls) {
        isNotNull();
        int available = actual.metrics().availableConcurrentCalls();
        if (available != calls) {
            failWithMessage("Expected bulkhead '%s' to have %s free permits but it had %s (%s)", actual.name(), calls,
                    available, actual.metrics());
        }
        return this;
    }

    /** @return this, if no call holds a permit */
    public BulkheadAssert isEmpty() {
        return hasAvailableConcurrentCalls(actual == null ? 0 : actual.metrics().maxConcurrentCalls());
    }

    /** @return this, if every permit is held */
    public BulkheadAssert isFull() {
        return hasAvailableConcurrentCalls(0);
    }
}
