package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BulkheadTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Bulkhead bulkhead(int max, Duration wait) {
        return Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(wait).build(), clock);
    }

    /** Starts a call on another thread that holds a permit until {@code release} opens. */
    private Future<?> hold(Bulkhead bulkhead, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Future<?> future = threads.submit(() -> bulkhead.call(() -> {
            running.countDown();
            release.await();
            return null;
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return future;
    }

    @Test
    void kindAndNameAreReported() {
        Bulkhead bulkhead = Bulkhead.ofDefaults("inventory");
        assertThat(bulkhead.kind()).isEqualTo("bulkhead");
        assertThat(bulkhead.name()).isEqualTo("inventory");
        assertThat(bulkhead.config().maxConcurrentCalls()).isEqualTo(25);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(25);
    }

    @Test
    void rejectsACallBeyondTheLimitAtOnceWhenMaxWaitIsZero() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        AtomicBoolean innerRan = new AtomicBoolean();
        assertThatThrownBy(() -> bulkhead.call(() -> bulkhead.call(() -> innerRan.getAndSet(true))))
                .isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'inventory'").hasMessageContaining("1 concurrent calls")
                .hasMessageContaining("maxWaitDuration is 0");
        assertThat(innerRan).isFalse();
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 1, 1));
    }

    @Test
    void rejectionIsCheapAndHasNoRetryAfter() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        BulkheadFullException rejection = catchRejection(() -> bulkhead.call(() -> bulkhead.call(() -> "x")));
        assertThat(rejection.getStackTrace()).isEmpty();
        assertThat(rejection.retryAfter()).isEmpty();
        assertThat(rejection.instanceName()).isEqualTo("inventory");
    }

    private static BulkheadFullException catchRejection(Runnable r) {
        try {
            r.run();
        } catch (BulkheadFullException e) {
            return e;
        }
        throw new AssertionError("no rejection");
    }

    @Test
    void returnsTheValueAndThePermit() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        assertThat(bulkhead.call(() -> "stock")).isEqualTo("stock");
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void returnsNullAndThePermit() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        assertThat(bulkhead.<Object, RuntimeException>call(() -> null)).isNull();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void passesACheckedExceptionThroughUnchangedAndReturnsThePermit() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        IOException failure = new IOException("down");
        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void passesARuntimeExceptionThroughAndReturnsThePermit() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        IllegalStateException failure = new IllegalStateException("bad");
        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void passesAnErrorThroughAndReturnsThePermit() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        StackOverflowError failure = new StackOverflowError("deep");
        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aWaitingCallRunsWhenAPermitIsFreed() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = hold(bulkhead, release);
        Future<String> waiter = threads.submit(() -> bulkhead.call(() -> "second"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 1);

        release.countDown();

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("second");
        holder.get(10, TimeUnit.SECONDS);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 2, 0));
        assertThat(clock.pendingTasks()).isZero(); // the wait timer was cancelled
    }

    @Test
    void aWaitingCallIsRejectedWhenMaxWaitDurationPasses() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(500));
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = hold(bulkhead, release);
        AtomicBoolean ran = new AtomicBoolean();
        Future<?> waiter = threads.submit(() -> bulkhead.call(() -> ran.getAndSet(true)));
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 1);

        clock.advance(Duration.ofMillis(499));
        assertThat(waiter).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(BulkheadFullException.class).hasMessageContaining("within maxWaitDuration PT0.5S");
        assertThat(ran).isFalse();
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 1, 1));
    }

    @Test
    void waitersThatTimedOutNeverSwallowALaterPermit() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = hold(bulkhead, release);
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(threads.submit(() -> bulkhead.call(() -> "late")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 5);
        clock.advance(Duration.ofMillis(100));
        for (Future<?> waiter : waiters) {
            assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(BulkheadFullException.class);
        }

        release.countDown(); // released right after the waiters timed out
        holder.get(10, TimeUnit.SECONDS);

        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 1, 5));
        assertThat(bulkhead.call(() -> "next")).isEqualTo("next");
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void anInterruptedWaiterDoesNotRunTheCallRestoresTheFlagAndIsRejected() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = hold(bulkhead, release);
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                bulkhead.call(() -> ran.getAndSet(true));
            } catch (Throwable t) {
                thrown.set(t);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 1);

        waiter.interrupt();
        waiter.join(10_000);

        assertThat(thrown.get()).isInstanceOf(BulkheadFullException.class).hasMessageContaining("interrupted");
        assertThat(flagAfter).isTrue();
        assertThat(ran).isFalse();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(clock.pendingTasks()).isZero();
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void publishesPermittedRejectedAndFinishedEvents() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        List<BulkheadEvent> events = new ArrayList<>();
        bulkhead.events().subscribe(events::add);

        assertThatThrownBy(() -> bulkhead.call(() -> bulkhead.call(() -> "x"))).isInstanceOf(BulkheadFullException.class);

        assertThat(events).extracting(BulkheadEvent::type).containsExactly("CALL_PERMITTED", "CALL_REJECTED", "CALL_FINISHED");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo("bulkhead");
            assertThat(e.name()).isEqualTo("inventory");
            assertThat(e.epochMillis()).isEqualTo(clock.currentTimeMillis());
        });
        assertThat(events.get(0).details()).containsEntry("availableConcurrentCalls", 0);
        assertThat(events.get(2).details()).containsEntry("availableConcurrentCalls", 1);
    }
}
