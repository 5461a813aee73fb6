package dev.resilience.spring.virtual;

import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.core.internal.VirtualThreads;
import dev.resilience.retry.Retry;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceFailureAnalyzer;
import dev.resilience.timeout.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spring.threads.virtual.enabled=true}: the policies' continuations run on virtual threads; a thread-pool
 * bulkhead opts in with {@code virtual-threads}.
 */
class VirtualThreadsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.retry.instances.shipping.max-attempts=2",
                    "resilience.retry.instances.shipping.wait-duration=1ms",
                    "resilience.timeout.instances.pricing.timeout-duration=10ms");

    /** @return the thread that ran the second attempt of an asynchronous call failing once */
    private static Thread retriedOn(Retry retry) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Thread> second = new CompletableFuture<>();
        retry.callAsync(() -> {
            if (attempts.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new IOException("transient"));
            }
            second.complete(Thread.currentThread());
            return CompletableFuture.completedFuture("ok");
        });
        return second.get(10, TimeUnit.SECONDS);
    }

    /** @return the thread on which a timed-out asynchronous call's caller sees the timeout */
    private static Thread timedOutOn(Timeout timeout) throws Exception {
        CompletableFuture<Thread> completion = new CompletableFuture<>();
        timeout.callAsync(CompletableFuture::new).whenComplete((value, failure) -> completion.complete(Thread.currentThread()));
        return completion.get(10, TimeUnit.SECONDS);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void withVirtualThreadsEnabledRetriedAttemptsAndTimeoutCompletionsRunOnVirtualThreads() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(registries.retries().get("shipping").config().asyncExecutor()).isSameAs(ContinuationThreads.virtual());

            Thread retried = retriedOn(registries.retries().get("shipping"));
            Thread timedOut = timedOutOn(registries.timeouts().get("pricing"));

            assertThat(VirtualThreads.isVirtual(retried)).as(retried.getName()).isTrue();
            assertThat(VirtualThreads.isVirtual(timedOut)).as(timedOut.getName()).isTrue();
        });
    }

    @Test
    void withoutVirtualThreadsContinuationsRunOnTheEnginesPlatformPool() {
        runner.run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);

            Thread retried = retriedOn(registries.retries().get("shipping"));

            assertThat(VirtualThreads.isVirtual(retried)).isFalse();
            assertThat(retried.getName()).startsWith("resilience-continuation-");
            assertThat(registries.retries().get("shipping").config().asyncExecutor()).isSameAs(ContinuationThreads.INSTANCE);
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJava21TheSwitchLeavesThePlatformPoolInPlace() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> assertThat(
                context.getBean(ResilienceRegistries.class).retries().get("shipping").config().asyncExecutor())
                .isSameAs(ContinuationThreads.INSTANCE));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void aThreadPoolBulkheadOptedInRunsCallsOnVirtualThreads() {
        runner.withPropertyValues("resilience.thread-pool-bulkhead.instances.quotes.virtual-threads=true").run(context -> {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            context.getBean(ResilienceRegistries.class).threadPoolBulkheads().get("quotes").callAsync(() -> {
                ranOn.complete(Thread.currentThread());
                return CompletableFuture.completedFuture("ok");
            });

            assertThat(VirtualThreads.isVirtual(ranOn.get(10, TimeUnit.SECONDS))).isTrue();
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJava21AThreadPoolBulkheadOptingInFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.thread-pool-bulkhead.instances.quotes.virtual-threads=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new ResilienceFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("resilience.thread-pool-bulkhead.instances.quotes.virtual-threads")
                    .contains("Java 21");
        });
    }
}
