package dev.resilience.test.junit;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.core.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/** After each test the bulkheads of its registries must be empty: the check the Spring side makes, reused. */
class BulkheadLeakCheckTest {

    @Test
    void aTestEndingWithABulkheadPermitHeldFailsNamingTheBulkhead() {
        EngineExecutionResults results = KitRun.run(LeavesAPermitHeld.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("leavesAPermitHeld"),
                finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.startsWith(
                        "Bulkheads still busy 50 ms after the test: [bulkhead 'stock' (1 permits held, 0 waiting)]")))));
    }

    @Test
    void aPermitGivenBackWithinTheGraceAfterTheTestMethodPasses() {
        EngineExecutionResults results = KitRun.run(GivesThePermitBackJustAfterTheTest.class);

        assertThat(KitRun.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void theTestsThreadPoolBulkheadsAreShutDownAfterIt() {
        EngineExecutionResults results = KitRun.run(UsesAThreadPool.class);

        assertThat(KitRun.failures(results)).isEmpty();
        assertThat(UsesAThreadPool.POOL.get().isShutdown()).isTrue();
    }

    @ResilienceCoreTest(bulkheadGraceMillis = 50)
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    static class LeavesAPermitHeld {

        @Test
        void leavesAPermitHeld(Registry<Bulkhead, BulkheadConfig> bulkheads) {
            assertThat(bulkheads.get("stock").tryAcquire()).isNotNull();
        }
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    static class GivesThePermitBackJustAfterTheTest {

        private Bulkhead.Permit permit;

        @Test
        void givesThePermitBackJustAfterTheTest(Registry<Bulkhead, BulkheadConfig> bulkheads) {
            Bulkhead bulkhead = bulkheads.get("stock");
            permit = bulkhead.tryAcquire();
            assertThat(bulkhead).hasAvailableConcurrentCalls(24);
        }

        /** Runs before the extension's check; the permit is given back only after this returns. */
        @AfterEach
        void giveThePermitBackSoon() {
            // Real time, as the grace is: 100 ms against a grace of 5 s.
            CompletableFuture.runAsync(permit::release, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        }
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    static class UsesAThreadPool {

        static final AtomicReference<ThreadPoolBulkhead> POOL = new AtomicReference<>();

        @Test
        void runsACallOnThePool(Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> pools) {
            ThreadPoolBulkhead pool = pools.get("reports");
            POOL.set(pool);
            assertThat(pool.call(() -> "done")).isEqualTo("done");
            assertThat(pool.isShutdown()).isFalse();
        }
    }
}
