package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Bulkhead#tryAcquire()}: a permit taken without a wrapped call, finished exactly once. */
class BulkheadPermitTest {

    private final ManualClock clock = new ManualClock();

    private Bulkhead bulkhead(int max, Duration wait) {
        return Bulkhead.of("gateway", BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(wait).build(), clock);
    }

    @Test
    void aPermitHoldsAConcurrentCallUntilReleased() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        Bulkhead.Permit permit = bulkhead.tryAcquire();

        assertThat(permit).isNotNull();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(1);
        assertThat(permit.release()).isTrue();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aSecondReleaseIsIgnoredAndReturnsFalse() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        Bulkhead.Permit first = bulkhead.tryAcquire();
        Bulkhead.Permit second = bulkhead.tryAcquire();

        assertThat(first.release()).isTrue();
        assertThat(first.release()).isFalse();
        assertThat(bulkhead.metrics().availableConcurrentCalls())
                .as("the second permit is still held").isEqualTo(1);
        assertThat(second.release()).isTrue();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aFullBulkheadGivesNullCountedAndPublishedAsARejection() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        List<BulkheadEvent.Type> seen = new ArrayList<>();
        bulkhead.events().subscribe(e -> seen.add(e.eventType()));
        Bulkhead.Permit held = bulkhead.tryAcquire();

        assertThat(bulkhead.tryAcquire()).isNull();
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(1);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(1);
        held.release();
        assertThat(seen).containsExactly(BulkheadEvent.Type.CALL_PERMITTED, BulkheadEvent.Type.CALL_REJECTED,
                BulkheadEvent.Type.CALL_FINISHED);
    }

    @Test
    void tryAcquireNeverWaitsEvenWithAMaxWaitDuration() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofHours(1));
        Bulkhead.Permit held = bulkhead.tryAcquire();

        assertThat(bulkhead.tryAcquire()).isNull();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        held.release();
    }

    @Test
    void aReleasedPermitGoesToAQueuedWaiterFirst() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofHours(1));
        Bulkhead.Permit held = bulkhead.tryAcquire();
        CompletableFuture<String> running = new CompletableFuture<>();
        CompletionStage<String> queued = bulkhead.callAsync(() -> running);
        assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1);

        assertThat(held.release()).isTrue();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(bulkhead.tryAcquire()).as("the waiter took the freed permit").isNull();
        running.complete("done");
        assertThat(queued.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void anUnfinishedPermitKeepsItsPlace() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        Bulkhead.Permit forgotten = bulkhead.tryAcquire();

        clock.advance(Duration.ofDays(365));
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
        assertThat(forgotten.toString()).contains("unreleased");
    }
}
