package dev.resilience.spring.interceptor;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A method's fallback runs once, outside all of its policies, whichever annotation names it: README's example,
 * literally.
 */
class FallbackPlacementTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(InventoryClient.class)
            .withPropertyValues("resilience.retry.instances.inventory.max-attempts=3",
                    "resilience.retry.instances.inventory.wait-duration=0s",
                    "resilience.retry.instances.onlyIo.max-attempts=3",
                    "resilience.retry.instances.onlyIo.wait-duration=0s",
                    "resilience.retry.instances.onlyIo.retry-exceptions=java.io.IOException",
                    "resilience.circuitbreaker.instances.ignoring.ignore-exceptions=java.lang.IllegalArgumentException");

    static class InventoryClient {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger fallbacks = new AtomicInteger();
        volatile RuntimeException failure = new IllegalStateException("downstream down");
        volatile boolean ioFailure;

        @Retry(name = "inventory")
        @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
        public String fetch(String sku) {
            attempts.incrementAndGet();
            throw failure;
        }

        String cachedStock(String sku, CallNotPermittedException e) {
            fallbacks.incrementAndGet();
            return "cached " + sku + " (breaker open)";
        }

        String cachedStock(String sku, Exception e) {
            fallbacks.incrementAndGet();
            return "cached " + sku + " after " + e.getMessage();
        }

        @Retry(name = "inventory")
        @CircuitBreaker(name = "throwing", fallbackMethod = "failingFallback")
        public String fetchWithFailingFallback() {
            attempts.incrementAndGet();
            throw new IllegalStateException("downstream down");
        }

        String failingFallback(Exception e) {
            fallbacks.incrementAndGet();
            throw new IllegalStateException("fallback failed");
        }

        @Retry(name = "inventory")
        @CircuitBreaker(name = "async", fallbackMethod = "asyncCached")
        public CompletableFuture<String> fetchAsync() {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }

        CompletableFuture<String> asyncCached(Exception e) {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("async cached after " + e.getMessage());
        }

        @Retry(name = "onlyIo")
        @CircuitBreaker(name = "ignoring", fallbackMethod = "cachedStock")
        public String classified(String sku) {
            attempts.incrementAndGet();
            throw failure;
        }

        @Retry(name = "onlyIo", fallbackMethod = "cachedStock")
        public String retryOnly(String sku) throws IOException {
            attempts.incrementAndGet();
            if (ioFailure) {
                throw new IOException("io down");
            }
            throw failure;
        }

        @Timeout(name = "timeoutNamesIt", fallbackMethod = "cachedStock")
        @Retry(name = "inventory")
        public String namedByTheInnerTimeout(String sku) {
            attempts.incrementAndGet();
            throw failure;
        }
    }

    private static InventoryClient state(AssertableApplicationContext context) {
        return AopTestUtils.getUltimateTargetObject(context.getBean(InventoryClient.class));
    }

    @Test
    void readmeExampleRetriesThreeTimesThenFallsBackOnce() {
        runner.run(context -> {
            assertThat(context.getBean(InventoryClient.class).fetch("sku-1")).isEqualTo("cached sku-1 after downstream down");
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void readmeExampleFallsBackOnceWhenTheBreakerIsOpen() {
        runner.run(context -> {
            context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory").transitionToForcedOpenState();
            assertThat(context.getBean(InventoryClient.class).fetch("sku-2")).isEqualTo("cached sku-2 (breaker open)");
            assertThat(state(context).attempts).hasValue(0);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void anExceptionThrownByTheFallbackIsNotRetried() {
        runner.run(context -> {
            assertThatThrownBy(context.getBean(InventoryClient.class)::fetchWithFailingFallback)
                    .isInstanceOf(IllegalStateException.class).hasMessage("fallback failed");
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void anAsynchronousMethodRetriesThreeTimesThenFallsBackOnce() {
        runner.run(context -> {
            assertThat(context.getBean(InventoryClient.class).fetchAsync().get(5, TimeUnit.SECONDS)).isEqualTo("async cached after down");
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void aFallbackNamedByAnInnerAnnotationRunsOutsideTheOuterRetry() {
        runner.run(context -> {
            assertThat(context.getBean(InventoryClient.class).namedByTheInnerTimeout("sku-3")).isEqualTo("cached sku-3 after downstream down");
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void anExceptionIgnoredByEveryPolicyOfTheMethodReachesTheCallerUnchanged() {
        runner.run(context -> {
            state(context).failure = new IllegalArgumentException("bad sku");
            assertThatThrownBy(() -> context.getBean(InventoryClient.class).classified("x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad sku");
            assertThat(state(context).attempts).hasValue(1);
            assertThat(state(context).fallbacks).hasValue(0);
        });
    }

    @Test
    void anExceptionTheRetryDoesNotRetryButTheBreakerRecordsReachesTheFallback() {
        runner.run(context -> {
            assertThat(context.getBean(InventoryClient.class).classified("y")).isEqualTo("cached y after downstream down");
            assertThat(state(context).attempts).hasValue(1);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }

    @Test
    void anExceptionTheOnlyRetryDoesNotRetryNeverReachesItsFallback() {
        runner.run(context -> {
            assertThatThrownBy(() -> context.getBean(InventoryClient.class).retryOnly("z"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("downstream down");
            assertThat(state(context).attempts).hasValue(1);
            assertThat(state(context).fallbacks).hasValue(0);
        });
    }

    @Test
    void anExceptionTheOnlyRetryRetriesReachesItsFallbackAfterTheLastAttempt() {
        runner.run(context -> {
            state(context).ioFailure = true;
            assertThat(context.getBean(InventoryClient.class).retryOnly("w")).isEqualTo("cached w after io down");
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).fallbacks).hasValue(1);
        });
    }
}
