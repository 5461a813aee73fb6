package dev.resilience.spring.proof;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The MDC and an application thread-local registered with Micrometer's context-propagation follow an annotated
 * call onto every thread it continues on, and are gone from those threads afterwards.
 */
class ContextPropagationTest {

    static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    static final String TENANT_KEY = "proof.tenant";

    /** What a method or fallback saw, and where. */
    record Seen(String where, String thread, String requestId, String tenant) {
    }

    /** Records the context visible in each method, attempt and fallback. */
    public static class ContextService {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        private void see(String where) {
            seen.add(new Seen(where, Thread.currentThread().getName(), MDC.get("requestId"), TENANT.get()));
        }

        final CompletableFuture<String> holderWork = new CompletableFuture<>();

        @Bulkhead(name = "ctx-queue")
        public CompletableFuture<String> holdsThePermit() {
            see("holder");
            return holderWork;
        }

        @Bulkhead(name = "ctx-queue")
        public CompletableFuture<String> queuesForThePermit() {
            see("queued");
            return CompletableFuture.completedFuture("queued");
        }

        @RateLimited(name = "ctx-limited")
        public CompletableFuture<String> rateLimited() {
            see("rate limited");
            return CompletableFuture.completedFuture("limited");
        }

        @Bulkhead(name = "ctx-pool", type = Bulkhead.Type.THREADPOOL)
        public CompletableFuture<String> onPool() {
            see("pool");
            return CompletableFuture.completedFuture("pooled");
        }

        @Retry(name = "ctx-retry", fallbackMethod = "syncFallback")
        public String syncRetry() {
            see("sync attempt");
            throw new IllegalStateException("sync attempt failed");
        }

        String syncFallback(Throwable failure) {
            see("sync fallback");
            return "sync fallback";
        }

        @Retry(name = "ctx-async-retry", fallbackMethod = "asyncFallback")
        public CompletableFuture<String> asyncRetry() {
            see("async attempt");
            return CompletableFuture.failedFuture(new IllegalStateException("async attempt failed"));
        }

        CompletableFuture<String> asyncFallback(Throwable failure) {
            see("async fallback");
            return CompletableFuture.completedFuture("async fallback");
        }

        @Timeout(name = "ctx-timeout")
        public String timed() {
            see("timed call");
            return "in time";
        }

        @Timeout(name = "ctx-async-timeout", fallbackMethod = "timedOutFallback")
        public CompletableFuture<String> neverCompletes() {
            see("async timed call");
            return new CompletableFuture<>();
        }

        CompletableFuture<String> timedOutFallback(Throwable failure) {
            see("timeout fallback");
            return CompletableFuture.completedFuture("timeout fallback");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        ContextService contextService() {
            return new ContextService();
        }
    }

    private ConfigurableApplicationContext context;
    private ContextService service;
    private ContextService recorded;

    @BeforeEach
    void start() {
        // What an application does to have its thread-locals propagated.
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        ContextRegistry.getInstance().registerThreadLocalAccessor(TENANT_KEY, TENANT);
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off",
                        "resilience.bulkhead.instances.ctx-queue.max-concurrent-calls=1",
                        "resilience.bulkhead.instances.ctx-queue.max-wait-duration=10s",
                        "resilience.ratelimiter.instances.ctx-limited.limit-for-period=1",
                        "resilience.ratelimiter.instances.ctx-limited.limit-refresh-period=200ms",
                        "resilience.ratelimiter.instances.ctx-limited.timeout-duration=10s",
                        "resilience.thread-pool-bulkhead.instances.ctx-pool.core-thread-pool-size=1",
                        "resilience.thread-pool-bulkhead.instances.ctx-pool.max-thread-pool-size=1",
                        "resilience.retry.instances.ctx-retry.max-attempts=3",
                        "resilience.retry.instances.ctx-retry.wait-duration=10ms",
                        "resilience.retry.instances.ctx-async-retry.max-attempts=3",
                        "resilience.retry.instances.ctx-async-retry.wait-duration=10ms",
                        "resilience.timeout.instances.ctx-timeout.timeout-duration=10s",
                        "resilience.timeout.instances.ctx-async-timeout.timeout-duration=50ms")
                .run();
        service = context.getBean(ContextService.class);
        recorded = AopTestUtils.getUltimateTargetObject(service);
        MDC.put("requestId", "request-1");
        TENANT.set("acme");
    }

    @AfterEach
    void stop() {
        MDC.clear();
        TENANT.remove();
        context.close();
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        ContextRegistry.getInstance().removeThreadLocalAccessor(TENANT_KEY);
    }

    private static void clearCallerContext() {
        MDC.clear();
        TENANT.remove();
    }

    @Test
    void theThreadPoolBulkheadMethodSeesTheCallersContextWhichIsGoneFromThePoolThreadAfterwards() throws Exception {
        assertThat(service.onPool().get(10, TimeUnit.SECONDS)).isEqualTo("pooled");
        clearCallerContext();
        assertThat(service.onPool().get(10, TimeUnit.SECONDS)).isEqualTo("pooled");

        assertThat(recorded.seen).extracting(Seen::requestId, Seen::tenant)
                .containsExactly(tuple("request-1", "acme"), tuple(null, null));
        assertThat(recorded.seen.get(0).thread()).isNotEqualTo(Thread.currentThread().getName())
                .isEqualTo(recorded.seen.get(1).thread());
    }

    @Test
    void everySynchronousRetryAttemptAndTheFallbackSeeTheCallersContext() {
        assertThat(service.syncRetry()).isEqualTo("sync fallback");

        assertThat(recorded.seen).extracting(Seen::where, Seen::requestId, Seen::tenant).containsExactly(
                tuple("sync attempt", "request-1", "acme"),
                tuple("sync attempt", "request-1", "acme"),
                tuple("sync attempt", "request-1", "acme"),
                tuple("sync fallback", "request-1", "acme"));
    }

    @Test
    void asynchronousRetryAttemptsOnContinuationThreadsAndTheFallbackSeeTheCallersContextWhichIsGoneAfterwards() throws Exception {
        assertThat(service.asyncRetry().get(10, TimeUnit.SECONDS)).isEqualTo("async fallback");

        assertThat(recorded.seen).extracting(Seen::where, Seen::requestId, Seen::tenant).containsExactly(
                tuple("async attempt", "request-1", "acme"),
                tuple("async attempt", "request-1", "acme"),
                tuple("async attempt", "request-1", "acme"),
                tuple("async fallback", "request-1", "acme"));
        assertThat(recorded.seen.get(1).thread()).startsWith("resilience-continuation-");
        assertThat(recorded.seen.get(3).thread()).startsWith("resilience-continuation-");

        recorded.seen.clear();
        clearCallerContext();
        assertThat(service.asyncRetry().get(10, TimeUnit.SECONDS)).isEqualTo("async fallback");
        assertThat(recorded.seen).extracting(Seen::requestId, Seen::tenant).containsOnly(tuple(null, null));
    }

    @Test
    void aSynchronousTimeoutRunsTheMethodOnTheCallersOwnThreadInItsContext() {
        assertThat(service.timed()).isEqualTo("in time");
        clearCallerContext();
        assertThat(service.timed()).isEqualTo("in time");

        assertThat(recorded.seen).extracting(Seen::requestId, Seen::tenant)
                .containsExactly(tuple("request-1", "acme"), tuple(null, null));
        assertThat(recorded.seen).extracting(Seen::thread).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void theFallbackOfATimedOutAsynchronousCallSeesTheCallersContextOffTheTimerThread() throws Exception {
        assertThat(service.neverCompletes().get(10, TimeUnit.SECONDS)).isEqualTo("timeout fallback");
        clearCallerContext();
        assertThat(service.neverCompletes().get(10, TimeUnit.SECONDS)).isEqualTo("timeout fallback");

        assertThat(recorded.seen).extracting(Seen::where, Seen::requestId, Seen::tenant).containsExactly(
                tuple("async timed call", "request-1", "acme"),
                tuple("timeout fallback", "request-1", "acme"),
                tuple("async timed call", null, null),
                tuple("timeout fallback", null, null));
        assertThat(recorded.seen.get(1).thread()).doesNotStartWith("resilience-timer");
    }

    @Test
    void anAsynchronousBulkheadCallThatQueuedRunsInItsOwnCallersContextWhenAnotherCallersReleaseGrantsIt() throws Exception {
        CompletableFuture<String> holder = service.holdsThePermit();
        MDC.put("requestId", "request-2");
        TENANT.set("globex");
        CompletableFuture<String> queued = service.queuesForThePermit();
        assertThat(queued).isNotDone();

        MDC.put("requestId", "request-3");
        TENANT.set("initech");
        recorded.holderWork.complete("released"); // the queued call runs here, on this thread

        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("released");
        assertThat(recorded.seen).extracting(Seen::where, Seen::requestId, Seen::tenant).containsExactly(
                tuple("holder", "request-1", "acme"),
                tuple("queued", "request-2", "globex"));
        assertThat(MDC.get("requestId")).isEqualTo("request-3");
        assertThat(TENANT.get()).isEqualTo("initech");
    }

    @Test
    void anAsynchronousCallThatWaitedForARateLimitPermitRunsInItsCallersContextOnTheTimer() throws Exception {
        assertThat(service.rateLimited().get(10, TimeUnit.SECONDS)).isEqualTo("limited");
        MDC.put("requestId", "request-2");
        TENANT.set("globex");
        CompletableFuture<String> waited = service.rateLimited(); // no permit left in this period: waits for the next
        clearCallerContext();

        assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("limited");
        assertThat(recorded.seen).extracting(Seen::where, Seen::requestId, Seen::tenant).containsExactly(
                tuple("rate limited", "request-1", "acme"),
                tuple("rate limited", "request-2", "globex"));
        assertThat(recorded.seen.get(1).thread()).isNotEqualTo(Thread.currentThread().getName());
    }
}
