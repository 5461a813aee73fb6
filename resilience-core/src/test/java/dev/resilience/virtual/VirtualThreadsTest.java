package dev.resilience.virtual;

import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.core.internal.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Virtual threads where the JVM has them (Java 21+), a clear refusal where it does not. */
class VirtualThreadsTest {

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void theFactoryMakesNamedVirtualThreads() throws Exception {
        Thread thread = VirtualThreads.factory("resilience-test").newThread(() -> { });

        assertThat(VirtualThreads.isVirtual(thread)).isTrue();
        assertThat(thread.getName()).isEqualTo("resilience-test-1");
        assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualContinuationsRunOnVirtualThreads() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();

        ContinuationThreads.virtual().execute(() -> ran.complete(Thread.currentThread()));

        Thread worker = ran.get(10, TimeUnit.SECONDS);
        assertThat(VirtualThreads.isVirtual(worker)).isTrue();
        assertThat(worker.getName()).startsWith("resilience-continuation-virtual-");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void aVirtualThreadPoolBulkheadRunsCallsOnVirtualThreadsWithinItsBounds() throws Exception {
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("stock", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(2).maxThreadPoolSize(2).queueCapacity(0).virtualThreads(true).build(), new ManualClock());
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        try {
            CompletableFuture<String> first = bulkhead.<String>callAsync(() -> {
                worker.set(Thread.currentThread());
                return CompletableFuture.supplyAsync(() -> "first");
            }).toCompletableFuture();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(VirtualThreads.isVirtual(worker.get())).isTrue();
            assertThat(worker.get().getName()).startsWith("resilience-stock-");

            CompletableFuture<Boolean> a = bulkhead.<Boolean>callAsync(() -> CompletableFuture.completedFuture(awaitQuietly(release)))
                    .toCompletableFuture();
            CompletableFuture<Boolean> b = bulkhead.<Boolean>callAsync(() -> CompletableFuture.completedFuture(awaitQuietly(release)))
                    .toCompletableFuture();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bulkhead.metrics().activeThreads() == 2);

            assertThat(bulkhead.callAsync(() -> CompletableFuture.completedFuture("third")).toCompletableFuture())
                    .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(BulkheadFullException.class);
            release.countDown();
            assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            bulkhead.shutdown();
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void theSettingIsCopiedByToBuilder() {
        ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.builder().virtualThreads(true).build();

        assertThat(config.toBuilder().build().virtualThreads()).isTrue();
        assertThat(ThreadPoolBulkheadConfig.defaults().virtualThreads()).isFalse();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJava21VirtualThreadsAreRefusedNamingTheSetting() {
        assertThat(VirtualThreads.available()).isFalse();
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().virtualThreads(true))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("virtualThreads").hasMessageContaining("Java 21");
        assertThatThrownBy(ContinuationThreads::virtual).isInstanceOf(UnsupportedOperationException.class);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
