package dev.resilience.spring.lifecycle;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTest {

    /** Methods that stay busy until released, so the tests control what is in flight at shutdown. */
    public static class SlowService {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(1);

        @Bulkhead(name = "slow")
        public String slow() throws InterruptedException {
            started.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return "finished";
        }

        @Retry(name = "patient")
        public String alwaysFailing() {
            attempts.incrementAndGet();
            throw new IllegalStateException("attempt " + attempts.get() + " failed");
        }

        @Bulkhead(name = "pool", type = Bulkhead.Type.THREADPOOL)
        public CompletableFuture<String> onPool() throws InterruptedException {
            started.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture("pooled");
        }

        public void reset() {
            started.set(0);
            attempts.set(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        SlowService slowService() {
            return new SlowService();
        }
    }

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .properties(properties).run();
    }

    private static SlowService target(ConfigurableApplicationContext context) {
        return org.springframework.test.util.AopTestUtils.getUltimateTargetObject(context.getBean(SlowService.class));
    }

    @Test
    void inFlightCallsCompleteAndCloseWaitsForThem(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("resilience.bulkhead.instances.slow.max-concurrent-calls=10");
        SlowService service = context.getBean(SlowService.class);
        SlowService state = target(context);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(callers.submit(service::slow));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> state.started.get() == 5);

        Future<?> closing = callers.submit(context::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(dev.resilience.core.ShutdownGate.class).isClosed());
        assertThat(closing).isNotDone();
        assertThatThrownBy(service::slow).isInstanceOf(ShutdownInProgressException.class).hasMessageContaining("slow");

        state.release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        for (Future<String> call : calls) {
            assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo("finished");
        }
        assertThat(output).contains("Resilience shutdown: 5 call(s) in flight, 5 finished, 0 abandoned");
    }

    @Test
    void aRetryWaitingOnALongBackoffEndsWithItsLastFailureWhenTheContextCloses() throws Exception {
        ConfigurableApplicationContext context = start("resilience.retry.instances.patient.max-attempts=3",
                "resilience.retry.instances.patient.wait-duration=20s");
        SlowService service = context.getBean(SlowService.class);
        SlowService state = target(context);
        Future<String> call = callers.submit(service::alwaysFailing);
        await().atMost(Duration.ofSeconds(10)).until(() -> state.attempts.get() == 1);

        long start = System.nanoTime();
        context.close();
        assertThatThrownByFuture(call).isInstanceOf(IllegalStateException.class).hasMessage("attempt 1 failed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(state.attempts).hasValue(1);
    }

    @Test
    void theShutdownTimeoutAbandonsACallThatRunsTooLong(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("resilience.shutdown.timeout=1s");
        SlowService service = context.getBean(SlowService.class);
        SlowService state = target(context);
        callers.submit(service::slow);
        await().atMost(Duration.ofSeconds(10)).until(() -> state.started.get() == 1);

        long start = System.nanoTime();
        context.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
        assertThat(output).contains("Resilience shutdown: 1 call(s) in flight, 0 finished, 1 abandoned at the deadline");
        state.release.countDown();
    }

    @Test
    void everyQueuedThreadPoolCallCompletesAtShutdown() throws Exception {
        ConfigurableApplicationContext context = start("resilience.shutdown.timeout=2s",
                "resilience.thread-pool-bulkhead.instances.pool.core-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.pool.max-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.pool.queue-capacity=10");
        SlowService service = context.getBean(SlowService.class);
        SlowService state = target(context);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(service.onPool());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> state.started.get() == 1);
        callers.submit(() -> {
            Thread.sleep(300);
            state.release.countDown();
            return null;
        });
        context.close();
        CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> v)).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
        assertThat(futures.stream().filter(f -> !f.isCompletedExceptionally()).map(CompletableFuture::join))
                .allMatch("pooled"::equals);
    }

    @Test
    void repeatedStartAndCloseLeavesNoThreadsBehind() throws Exception {
        for (int i = 0; i < 3; i++) {
            startUseAndClose();
        }
        int baseline = liveResilienceThreads();
        for (int i = 0; i < 20; i++) {
            startUseAndClose();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(liveResilienceThreads()).isLessThanOrEqualTo(baseline));
    }

    private static void startUseAndClose() throws Exception {
        ConfigurableApplicationContext context = start("resilience.shutdown.timeout=2s");
        SlowService service = context.getBean(SlowService.class);
        target(context).release.countDown();
        assertThat(service.onPool().get(5, TimeUnit.SECONDS)).isEqualTo("pooled");
        context.close();
    }

    private static int liveResilienceThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).filter(t -> t.getName().startsWith("resilience-")).count();
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatThrownByFuture(Future<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return assertThat(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the call did not end in time", e);
        }
        throw new AssertionError("the call succeeded unexpectedly");
    }
}
