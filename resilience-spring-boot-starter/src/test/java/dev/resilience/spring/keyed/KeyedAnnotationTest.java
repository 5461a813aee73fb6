package dev.resilience.spring.keyed;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.RateLimited;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.ShutdownGate;
import dev.resilience.keyed.NullKeyException;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.reactive.ResilienceReactiveAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code key} on {@code @RateLimited} and {@code @Bulkhead}: one limit per key, bounded, for every return type. */
class KeyedAnnotationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "resilience.ratelimiter.instances.api.limit-for-period=2",
                    "resilience.ratelimiter.instances.api.limit-refresh-period=1h",
                    "resilience.ratelimiter.instances.api.timeout-duration=0s",
                    "resilience.bulkhead.instances.reports.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.reports.max-keys=2");

    /** A customer's report request. */
    record ReportRequest(String customer) {
    }

    static class TenantService {

        @RateLimited(name = "api", key = "#tenant")
        public String quote(String tenant, String item) {
            return tenant + ":" + item;
        }

        @RateLimited(name = "api", key = "#p0")
        public CompletableFuture<String> quoteAsync(String tenant) {
            return CompletableFuture.completedFuture(tenant);
        }

        @RateLimited(name = "api", key = "#a0")
        public Mono<String> quoteMono(String tenant) {
            return Mono.just(tenant);
        }

        @RateLimited(name = "api", key = "#tenant")
        public Flux<String> quotesFlux(String tenant) {
            return Flux.just(tenant, tenant);
        }

        @Bulkhead(name = "reports", key = "#request.customer()")
        public CompletableFuture<String> report(ReportRequest request, CompletableFuture<String> outcome) {
            return outcome;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        ManualClock resilienceClock() {
            return new ManualClock();
        }

        @Bean
        TenantService tenantService() {
            return new TenantService();
        }
    }

    private static boolean admitted(TenantService service, String tenant) {
        try {
            service.quote(tenant, "x");
            return true;
        } catch (RequestNotPermittedException limited) {
            return false;
        }
    }

    @Test
    void oneTenantExhaustedDoesNotAffectAnother() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);

            assertThat(admitted(service, "acme")).isTrue();
            assertThat(admitted(service, "acme")).isTrue();
            assertThat(admitted(service, "acme")).isFalse();
            assertThat(admitted(service, "globex")).isTrue();
            assertThat(admitted(service, "globex")).isTrue();
            assertThat(admitted(service, "globex")).isFalse();

            KeyedInstances keyed = context.getBean(KeyedInstances.class);
            assertThat(keyed.findRateLimiter("api").orElseThrow().size()).isEqualTo(2);
            assertThat(keyed.findRateLimiter("api").orElseThrow().metrics().rejectedCalls()).isEqualTo(2);
        });
    }

    @Test
    void everyMethodNamingTheInstanceSharesItsKeys() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);

            service.quote("acme", "x");
            assertThat(service.quoteAsync("acme")).isCompletedWithValue("acme");
            assertThat(service.quoteAsync("acme")).failsWithin(Duration.ZERO)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(RequestNotPermittedException.class);
            assertThat(service.quoteAsync("globex")).isCompletedWithValue("globex");
        });
    }

    @Test
    void reactiveMethodIsLimitedPerKeyPerSubscription() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);
            Mono<String> acme = service.quoteMono("acme");

            StepVerifier.create(acme).expectNext("acme").verifyComplete();
            StepVerifier.create(acme).expectNext("acme").verifyComplete();
            StepVerifier.create(acme).verifyError(RequestNotPermittedException.class);
            StepVerifier.create(service.quoteMono("globex")).expectNext("globex").verifyComplete();
            StepVerifier.create(service.quotesFlux("initech")).expectNext("initech", "initech").verifyComplete();
            StepVerifier.create(service.quotesFlux("initech")).expectNext("initech", "initech").verifyComplete();
            StepVerifier.create(service.quotesFlux("initech")).verifyError(RequestNotPermittedException.class);
        });
    }

    @Test
    void nullKeyFailsTheCallNamingMethodAndExpression() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);

            assertThatThrownBy(() -> service.quote(null, "x"))
                    .isInstanceOf(NullKeyException.class)
                    .hasMessageContaining("'#tenant'")
                    .hasMessageContaining("@RateLimited(name = \"api\", key = \"#tenant\")")
                    .hasMessageContaining(TenantService.class.getName() + ".quote(String, String)");
            assertThat(service.quoteAsync(null)).isCompletedExceptionally();
            StepVerifier.create(service.quoteMono(null)).verifyError(NullKeyException.class);
            assertThat(context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow().size()).isZero();
        });
    }

    @Test
    void maxKeysDropsAnIdleKeyAndRejectsANewKeyWhileEveryKeyIsBusy() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);
            CompletableFuture<String> acme = new CompletableFuture<>();
            CompletableFuture<String> globex = new CompletableFuture<>();
            service.report(new ReportRequest("acme"), acme);
            service.report(new ReportRequest("globex"), globex);

            assertThat(service.report(new ReportRequest("initech"), CompletableFuture.completedFuture("x")))
                    .failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(BulkheadFullException.class)
                    .withMessageContaining("maximum of 2 keys, all in use");
            assertThat(service.report(new ReportRequest("acme"), CompletableFuture.completedFuture("x")))
                    .as("acme's one permit is taken").isCompletedExceptionally();

            acme.complete("done");
            assertThat(service.report(new ReportRequest("initech"), CompletableFuture.completedFuture("x")))
                    .isCompletedWithValue("x");
            assertThat(context.getBean(KeyedInstances.class).findBulkhead("reports").orElseThrow().keys())
                    .containsExactlyInAnyOrder("globex", "initech");
        });
    }

    @Test
    void idleKeysExpireOnTheApplicationsClock() {
        // A limiter's key is kept at least one period after its last use: a short period lets the expiry decide.
        runner.withPropertyValues("resilience.ratelimiter.configs.default.key-idle-expiry=1m",
                "resilience.ratelimiter.instances.api.limit-refresh-period=1s").run(context -> {
            TenantService service = context.getBean(TenantService.class);
            ManualClock clock = context.getBean(ManualClock.class);
            service.quote("acme", "x");
            KeyedInstances keyed = context.getBean(KeyedInstances.class);

            assertThat(keyed.findRateLimiter("api").orElseThrow().keyIdleExpiry()).isEqualTo(Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(59));
            assertThat(keyed.findRateLimiter("api").orElseThrow().size()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(16));
            assertThat(keyed.findRateLimiter("api").orElseThrow().size()).isZero();
        });
    }

    @Test
    void keyedSettingsResolveThroughTheBaseConfigChain() {
        runner.withPropertyValues("resilience.ratelimiter.configs.tenants.max-keys=500",
                        "resilience.ratelimiter.configs.tenants.key-idle-expiry=30s",
                        "resilience.ratelimiter.configs.default.max-keys=7",
                        "resilience.ratelimiter.instances.api.base-config=tenants")
                .run(context -> {
                    KeyedInstances keyed = context.getBean(KeyedInstances.class);
                    assertThat(keyed.findRateLimiter("api").orElseThrow().maxKeys()).isEqualTo(500);
                    assertThat(keyed.findRateLimiter("api").orElseThrow().keyIdleExpiry()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(keyed.findBulkhead("reports").orElseThrow().maxKeys()).as("its own setting").isEqualTo(2);
                });
    }

    @Test
    void aConfiguredKeyedInstanceIsNotCreatedUnkeyed() {
        runner.run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(registries.rateLimiters().find("api")).isEmpty();
            assertThat(registries.bulkheads().find("reports")).isEmpty();
            assertThat(context.getBean(KeyedInstances.class).findRateLimiter("api")).isPresent();
        });
    }

    @Test
    void keyedMethodsRefuseNewCallsOnceShutdownBegins() {
        runner.run(context -> {
            TenantService service = context.getBean(TenantService.class);
            context.getBean(ShutdownGate.class).close();

            assertThatThrownBy(() -> service.quote("acme", "x")).isInstanceOf(ShutdownInProgressException.class)
                    .satisfies(e -> assertThat(((ShutdownInProgressException) e).instanceName()).isEqualTo("api"));
            StepVerifier.create(service.quoteMono("acme")).verifyError(ShutdownInProgressException.class);
            assertThat(context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow().size()).isZero();
        });
    }

    @Test
    void configCustomizersSetTheBoundToo() {
        runner.withBean(dev.resilience.spring.autoconfigure.BulkheadConfigCustomizer.class,
                () -> (name, builder) -> builder.maxKeys(3)).run(context ->
                assertThat(context.getBean(KeyedInstances.class).findBulkhead("reports").orElseThrow().maxKeys()).isEqualTo(3));
    }

    @Test
    void invalidMaxKeysFailsStartUpNamingThePropertyAndRange() {
        runner.withPropertyValues("resilience.ratelimiter.instances.api.max-keys=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("resilience.ratelimiter.instances.api.max-keys")
                    .hasMessageContaining("at least 1");
        });
    }

    @Test
    void invalidKeyIdleExpiryFailsStartUpNamingThePropertyAndRange() {
        runner.withPropertyValues("resilience.bulkhead.configs.default.key-idle-expiry=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("resilience.bulkhead.configs.default.key-idle-expiry")
                    .hasMessageContaining("a positive duration");
        });
    }
}
