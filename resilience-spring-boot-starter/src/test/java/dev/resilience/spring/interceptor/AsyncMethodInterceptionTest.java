package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.test.util.AopTestUtils;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * On an {@code @Async} method our annotations protect the method's execution on the executor thread, not the
 * submission of the task: for methods returning {@code void}, {@code Future} and {@code CompletableFuture}.
 */
class AsyncMethodInterceptionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withUserConfiguration(AsyncConfig.class)
            .withPropertyValues("resilience.retry.instances.three.max-attempts=3", "resilience.retry.instances.three.wait-duration=0s",
                    "resilience.timeout.instances.short.timeout-duration=100ms",
                    "resilience.bulkhead.instances.single.max-concurrent-calls=1",
                    "resilience.ratelimiter.instances.once.limit-for-period=1",
                    "resilience.ratelimiter.instances.once.limit-refresh-period=1h",
                    "resilience.ratelimiter.instances.once.timeout-duration=0s");

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfig implements AsyncConfigurer {

        /** What reached Spring's handler for exceptions of {@code void} methods. */
        final LinkedBlockingQueue<Throwable> uncaught = new LinkedBlockingQueue<>();

        @Override
        public Executor getAsyncExecutor() {
            return new SimpleAsyncTaskExecutor("async-worker-");
        }

        @Override
        public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
            return (error, method, params) -> uncaught.add(error);
        }

        @Bean
        AsyncWork asyncWork() {
            return new AsyncWork();
        }
    }

    static class AsyncWork {
        final AtomicInteger attempts = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        private IllegalStateException fail() {
            attempts.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return new IllegalStateException("down");
        }

        private void hold() throws InterruptedException {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
        }

        @Async
        @Retry(name = "three")
        public void retryVoid() {
            throw fail();
        }

        @Async
        @Retry(name = "three")
        public Future<String> retryFuture() {
            throw fail();
        }

        @Async
        @Retry(name = "three")
        public CompletableFuture<String> retryCompletableFuture() {
            return CompletableFuture.failedFuture(fail());
        }

        @Async
        @CircuitBreaker(name = "async")
        public void breakerVoid() {
            throw fail();
        }

        @Async
        @CircuitBreaker(name = "async")
        public Future<String> breakerFuture() {
            throw fail();
        }

        @Async
        @Timeout(name = "short")
        public void timeoutVoid() throws InterruptedException {
            hold();
        }

        @Async
        @Timeout(name = "short")
        public Future<String> timeoutFuture() throws InterruptedException {
            hold();
            return CompletableFuture.completedFuture("late");
        }

        @Async
        @Bulkhead(name = "single")
        public void bulkheadVoid() throws InterruptedException {
            hold();
        }

        @Async
        @Bulkhead(name = "single")
        public Future<String> bulkheadFuture() throws InterruptedException {
            hold();
            return CompletableFuture.completedFuture("done");
        }

        @Async
        @RateLimited(name = "once")
        public void limitedVoid() {
            attempts.incrementAndGet();
        }

        @Async
        @RateLimited(name = "once")
        public Future<String> limitedFuture() {
            attempts.incrementAndGet();
            return CompletableFuture.completedFuture("permitted");
        }
    }

    private static AsyncWork state(AssertableApplicationContext context) {
        return AopTestUtils.getUltimateTargetObject(context.getBean(AsyncWork.class));
    }

    private static Throwable nextUncaught(AssertableApplicationContext context) throws InterruptedException {
        Throwable error = context.getBean(AsyncConfig.class).uncaught.poll(5, TimeUnit.SECONDS);
        assertThat(error).as("an exception of the void method reached the async handler").isNotNull();
        return error;
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future completed normally");
    }

    @Test
    void retryOfAVoidMethodRunsEveryAttemptOnTheExecutor() {
        runner.run(context -> {
            context.getBean(AsyncWork.class).retryVoid();
            assertThat(nextUncaught(context)).isInstanceOf(IllegalStateException.class);
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).threads).allMatch(name -> name.startsWith("async-worker-"));
        });
    }

    @Test
    void retryOfAVoidMethodRunsOnTheExecutorWhenOurProxyIsCreatedBeforeTheAsyncAdvisorIsAdded() {
        new ApplicationContextRunner().withUserConfiguration(ResilienceAutoConfiguration.class, AsyncConfig.class)
                .withPropertyValues("resilience.retry.instances.three.max-attempts=3", "resilience.retry.instances.three.wait-duration=0s")
                .run(context -> {
                    context.getBean(AsyncWork.class).retryVoid();
                    assertThat(nextUncaught(context)).isInstanceOf(IllegalStateException.class);
                    assertThat(state(context).attempts).hasValue(3);
                    assertThat(state(context).threads).allMatch(name -> name.startsWith("async-worker-"));
                });
    }

    @Test
    void retryOfAFutureMethodRunsEveryAttempt() {
        runner.run(context -> {
            assertThat(failureOf(context.getBean(AsyncWork.class).retryFuture())).isInstanceOf(IllegalStateException.class);
            assertThat(state(context).attempts).hasValue(3);
            assertThat(state(context).threads).allMatch(name -> name.startsWith("async-worker-"));
        });
    }

    @Test
    void retryOfACompletableFutureMethodRunsEveryAttempt() {
        runner.run(context -> {
            assertThat(failureOf(context.getBean(AsyncWork.class).retryCompletableFuture())).isInstanceOf(IllegalStateException.class);
            assertThat(state(context).attempts).hasValue(3);
            // The first attempt runs on the executor; later ones on the retry's timer (an asynchronous backoff).
            assertThat(state(context).threads).anyMatch(name -> name.startsWith("async-worker-"));
        });
    }

    @Test
    void circuitBreakerOfAVoidMethodRecordsTheMethodsFailure() {
        runner.run(context -> {
            context.getBean(AsyncWork.class).breakerVoid();
            assertThat(nextUncaught(context)).isInstanceOf(IllegalStateException.class);
            var metrics = context.getBean(ResilienceRegistries.class).circuitBreakers().get("async").metrics();
            assertThat(metrics.totalFailedCalls()).isEqualTo(1);
            assertThat(metrics.totalSuccessfulCalls()).isZero();
        });
    }

    @Test
    void circuitBreakerOfAFutureMethodRecordsTheMethodsFailure() {
        runner.run(context -> {
            assertThat(failureOf(context.getBean(AsyncWork.class).breakerFuture())).isInstanceOf(IllegalStateException.class);
            var metrics = context.getBean(ResilienceRegistries.class).circuitBreakers().get("async").metrics();
            assertThat(metrics.totalFailedCalls()).isEqualTo(1);
            assertThat(metrics.totalSuccessfulCalls()).isZero();
        });
    }

    @Test
    void timeoutOfAVoidMethodEndsTheExecution() {
        runner.run(context -> {
            try {
                context.getBean(AsyncWork.class).timeoutVoid();
                assertThat(nextUncaught(context)).isInstanceOf(TimeoutExceededException.class);
            } finally {
                state(context).release.countDown();
            }
        });
    }

    @Test
    void timeoutOfAFutureMethodEndsTheExecution() {
        runner.run(context -> {
            try {
                assertThat(failureOf(context.getBean(AsyncWork.class).timeoutFuture())).isInstanceOf(TimeoutExceededException.class);
            } finally {
                state(context).release.countDown();
            }
        });
    }

    @Test
    void bulkheadOfAVoidMethodHoldsItsPermitWhileTheMethodRuns() {
        runner.run(context -> {
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(ResilienceRegistries.class).bulkheads().get("single");
            try {
                context.getBean(AsyncWork.class).bulkheadVoid();
                assertThat(state(context).entered.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            } finally {
                state(context).release.countDown();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> bulkhead.metrics().availableConcurrentCalls() == 1);
        });
    }

    @Test
    void bulkheadOfAFutureMethodHoldsItsPermitWhileTheMethodRuns() {
        runner.run(context -> {
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(ResilienceRegistries.class).bulkheads().get("single");
            Future<String> result;
            try {
                result = context.getBean(AsyncWork.class).bulkheadFuture();
                assertThat(state(context).entered.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            } finally {
                state(context).release.countDown();
            }
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void rateLimiterOfAVoidMethodRejectsOnTheExecutorNotAtSubmission() {
        runner.run(context -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            work.limitedVoid();
            work.limitedVoid();
            assertThat(nextUncaught(context)).isInstanceOf(RequestNotPermittedException.class);
            assertThat(state(context).attempts).hasValue(1);
        });
    }

    @Test
    void rateLimiterOfAFutureMethodRejectsThroughTheFuture() {
        runner.run(context -> {
            AsyncWork work = context.getBean(AsyncWork.class);
            assertThat(work.limitedFuture().get(5, TimeUnit.SECONDS)).isEqualTo("permitted");
            Future<String> rejected = work.limitedFuture();
            assertThat(failureOf(rejected)).isInstanceOf(RequestNotPermittedException.class);
            assertThat(state(context).attempts).hasValue(1);
        });
    }
}
