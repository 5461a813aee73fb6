package dev.resilience.spring.interceptor;

import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.util.AopTestUtils;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = AnnotationInterceptionTest.TestApplication.class, properties = {
        "resilience.retry.instances.three.max-attempts=3",
        "resilience.retry.instances.three.wait-duration=0s",
        "resilience.circuitbreaker.instances.opensAfterTwo.sliding-window-size=2",
        "resilience.circuitbreaker.instances.opensAfterTwo.minimum-number-of-calls=2",
        "resilience.circuitbreaker.instances.opensAfterTwo.failure-rate-threshold=100",
        "resilience.circuitbreaker.instances.withFallback.ignore-exceptions=java.lang.IllegalArgumentException",
        "resilience.bulkhead.instances.single.max-concurrent-calls=1",
        "resilience.ratelimiter.instances.twoPerPeriod.limit-for-period=2",
        "resilience.ratelimiter.instances.twoPerPeriod.limit-refresh-period=1h",
        "resilience.ratelimiter.instances.twoPerPeriod.timeout-duration=0s",
        "resilience.timeout.instances.short.timeout-duration=200ms",
        "resilience.thread-pool-bulkhead.instances.pool.core-thread-pool-size=1",
        "resilience.thread-pool-bulkhead.instances.pool.max-thread-pool-size=1"})
class AnnotationInterceptionTest {

    @SpringBootConfiguration
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class TestApplication {
        @Bean
        AnnotatedServices.Inventory inventory() {
            return new AnnotatedServices.Inventory();
        }

        @Bean
        AnnotatedServices.ClassLevel classLevel() {
            return new AnnotatedServices.ClassLevel();
        }
    }

    @Autowired
    AnnotatedServices.Inventory inventory;

    @Autowired
    AnnotatedServices.ClassLevel classLevel;

    @Autowired
    ResilienceRegistries registries;

    /** The bean behind the proxy, whose counters the tests read and set (a class proxy has its own, unused fields). */
    AnnotatedServices.Inventory state;

    @BeforeEach
    void reset() {
        state = AopTestUtils.getUltimateTargetObject(inventory);
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
        state.calls.set(0);
        state.flakyFailuresLeft.set(0);
    }

    @Test
    void annotatedBeansAreProxied() {
        assertThat(AopUtils.isAopProxy(inventory)).isTrue();
    }

    @Test
    void retryOutsideCircuitBreakerStopsWhenTheBreakerOpens() {
        assertThatThrownBy(inventory::alwaysFailing).isInstanceOf(CallNotPermittedException.class);
        assertThat(state.calls).hasValue(2);
        assertThat(registries.circuitBreakers().get("opensAfterTwo").state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void retrySucceedsAfterTransientFailures() {
        state.flakyFailuresLeft.set(2);
        assertThat(inventory.flaky()).isEqualTo("ok after 3");
    }

    @Test
    void checkedExceptionReachesTheCallerUnchangedAfterTheLastAttempt() {
        assertThatThrownBy(inventory::checkedFailure).isInstanceOf(FileNotFoundException.class).hasMessage("missing.txt");
        assertThat(state.calls).hasValue(3);
    }

    @Test
    void fallbackWithTheMostSpecificExceptionParameterWins() throws Exception {
        assertThat(inventory.lookup("sku-1", new FileNotFoundException())).isEqualTo("io fallback sku-1 FileNotFoundException");
        assertThat(inventory.lookup("sku-1", new IllegalStateException())).isEqualTo("generic fallback sku-1 IllegalStateException");
    }

    @Test
    void fallbackIsNotCalledOnSuccess() throws Exception {
        assertThat(inventory.lookup("sku-2", null)).isEqualTo("live sku-2");
    }

    @Test
    void ignoredExceptionNeverReachesTheFallback() {
        assertThatThrownBy(() -> inventory.lookup("sku-3", new IllegalArgumentException("bad sku")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad sku");
    }

    @Test
    void fallbackReceivesRejections() throws Exception {
        registries.circuitBreakers().get("withFallback").transitionToForcedOpenState();
        assertThat(inventory.lookup("sku-4", null)).isEqualTo("generic fallback sku-4 CallNotPermittedException");
        assertThat(state.calls).hasValue(0);
    }

    @Test
    void exceptionThrownByTheFallbackReachesTheCallerUnwrapped() {
        assertThatThrownBy(inventory::fallbackThrows).isExactlyInstanceOf(IOException.class).hasMessage("fallback failed too");
    }

    @Test
    void bulkheadRejectsACallBeyondItsLimit() throws Exception {
        state.release = new CountDownLatch(1);
        state.entered = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return inventory.occupy();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(state.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(inventory::occupy).isInstanceOf(BulkheadFullException.class);
        state.release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void rateLimiterRejectsBeyondTheLimitForThePeriod() {
        assertThat(inventory.limited()).isEqualTo("permitted");
        assertThat(inventory.limited()).isEqualTo("permitted");
        assertThatThrownBy(inventory::limited).isInstanceOf(RequestNotPermittedException.class);
    }

    @Test
    void timeoutEndsABlockingCall() {
        assertThatThrownBy(inventory::hangs).isInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void asyncRetryRetriesAFailedStage() throws Exception {
        state.flakyFailuresLeft.set(2);
        assertThat(inventory.asyncFlaky().get(5, TimeUnit.SECONDS)).isEqualTo("async ok after 3");
    }

    @Test
    void asyncFallbackReplacesAFailedStage() throws Exception {
        assertThat(inventory.asyncFailing().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("async fallback async down");
    }

    @Test
    void threadPoolBulkheadRunsTheMethodOnItsPool() throws Exception {
        assertThat(inventory.onPool().get(5, TimeUnit.SECONDS)).contains("pool");
    }

    @Test
    void methodsWithoutAnnotationsPassThrough() {
        assertThatThrownBy(inventory::notAnnotated).isInstanceOf(IllegalStateException.class);
        assertThat(state.calls).hasValue(1);
    }

    @Test
    void classLevelAnnotationAppliesToPublicMethods() {
        assertThatThrownBy(classLevel::fromClass).isInstanceOf(IllegalStateException.class);
        assertThat(registries.circuitBreakers().get("classLevel").metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void methodLevelAnnotationWinsOverClassLevel() {
        long classLevelFailures = registries.circuitBreakers().get("classLevel").metrics().failedCalls();
        assertThatThrownBy(classLevel::fromMethod).isInstanceOf(IllegalStateException.class);
        assertThat(registries.circuitBreakers().get("methodLevel").metrics().failedCalls()).isEqualTo(1);
        assertThat(registries.circuitBreakers().get("classLevel").metrics().failedCalls()).isEqualTo(classLevelFailures);
    }
}
