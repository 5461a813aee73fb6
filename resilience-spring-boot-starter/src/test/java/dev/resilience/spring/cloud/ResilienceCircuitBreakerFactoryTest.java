package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.ShutdownGate;
import dev.resilience.deadline.Deadline;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.NoFallbackAvailableException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Cloud's blocking {@code CircuitBreakerFactory} runs on the starter's own instances, properties, shutdown
 * gate and deadlines.
 */
class ResilienceCircuitBreakerFactoryTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceSpringCloudAutoConfiguration.class))
            .withPropertyValues(
                    "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
                    "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50");

    static class AnnotatedInventory {
        @CircuitBreaker(name = "inventory")
        public String stock(String sku) {
            return sku;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PaymentsCustomizer {
        @Bean
        Customizer<ResilienceCircuitBreakerFactory> paymentsCustomizer() {
            return factory -> factory.configure(builder -> builder.circuitBreakerConfig(config -> config.slidingWindowSize(7))
                    .timeoutConfig(TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(3)).build()), "payments");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InventoryCustomizer {
        @Bean
        Customizer<ResilienceCircuitBreakerFactory> inventoryCustomizer() {
            return factory -> factory.configure(builder -> builder.circuitBreakerConfig(config -> config.slidingWindowSize(7)), "inventory");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DefaultCustomizer {
        @Bean
        Customizer<ResilienceCircuitBreakerFactory> defaultCustomizer() {
            return factory -> factory.configureDefault(id -> CloudCircuitBreakerConfig.of(
                    dev.resilience.circuitbreaker.CircuitBreakerConfig.builder().slidingWindowSize(42).build()));
        }
    }

    private static List<String> kinds(ResilienceCloudCircuitBreaker breaker) {
        return breaker.policies().stream().map(Policy::kind).toList();
    }

    @Test
    void createReturnsABreakerOnTheInstanceTheAnnotationUses() {
        runner.withBean(AnnotatedInventory.class).run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            ResilienceCloudCircuitBreaker breaker = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("inventory");

            assertThat(breaker.circuitBreaker()).isSameAs(registries.circuitBreakers().get("inventory"));
            assertThat(breaker.run(() -> "ok")).isEqualTo("ok");
            context.getBean(AnnotatedInventory.class).stock("A-1");
            assertThat(registries.circuitBreakers().get("inventory").metrics().bufferedCalls()).isEqualTo(2);
        });
    }

    @Test
    void createReturnsTheSameBreakerForAnIdEveryTime() {
        runner.run(context -> {
            CircuitBreakerFactory<?, ?> factory = context.getBean(CircuitBreakerFactory.class);
            assertThat(factory.create("inventory")).isSameAs(factory.create("inventory"));
        });
    }

    @Test
    void fallbackReceivesCallNotPermittedExceptionOnceTheBreakerIsOpen() {
        runner.run(context -> {
            org.springframework.cloud.client.circuitbreaker.CircuitBreaker breaker = context.getBean(CircuitBreakerFactory.class).create("inventory");
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> received = new AtomicReference<>();
            for (int i = 0; i < 2; i++) {
                breaker.run(() -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("down");
                }, failure -> "fallback");
            }

            String result = breaker.run(() -> {
                calls.incrementAndGet();
                return "live";
            }, failure -> {
                received.set(failure);
                return "fallback";
            });

            assertThat(result).isEqualTo("fallback");
            assertThat(calls).hasValue(2);
            assertThat(received.get()).isInstanceOf(CallNotPermittedException.class);
            assertThat(((CallNotPermittedException) received.get()).instanceName()).isEqualTo("inventory");
        });
    }

    @Test
    void fallbackReceivesTheCallsOwnException() {
        runner.run(context -> {
            IllegalStateException down = new IllegalStateException("down");
            Object received = context.getBean(CircuitBreakerFactory.class).create("inventory").run(() -> {
                throw down;
            }, failure -> failure);
            assertThat(received).isSameAs(down);
        });
    }

    @Test
    void runWithoutFallbackThrowsNoFallbackAvailableWithTheFailureAsCause() {
        runner.run(context -> {
            IllegalStateException down = new IllegalStateException("down");
            assertThatThrownBy(() -> context.getBean(CircuitBreakerFactory.class).create("inventory").run(() -> {
                throw down;
            })).isInstanceOf(NoFallbackAvailableException.class).hasCause(down);
        });
    }

    @Test
    void onlyTheBreakerIsComposedWhereNoTimeoutOrBulkheadIsConfigured() {
        runner.run(context -> assertThat(kinds((ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class)
                .create("inventory"))).containsExactly("circuitbreaker"));
    }

    @Test
    void timeoutAndBulkheadOfTheSameNameAreComposedWhereConfigured() {
        runner.withPropertyValues("resilience.timeout.instances.inventory.timeout-duration=2s",
                "resilience.bulkhead.instances.inventory.max-concurrent-calls=3").run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            ResilienceCloudCircuitBreaker breaker = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("inventory");
            assertThat(breaker.policies()).containsExactly(registries.circuitBreakers().get("inventory"),
                    registries.timeouts().get("inventory"), registries.bulkheads().get("inventory"));
            assertThat(kinds((ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("other")))
                    .containsExactly("circuitbreaker");
        });
    }

    @Test
    void compositionFollowsResilienceOrder() {
        runner.withPropertyValues("resilience.timeout.instances.inventory.timeout-duration=2s",
                "resilience.bulkhead.instances.inventory.max-concurrent-calls=3",
                "resilience.order=retry,bulkhead,ratelimiter,circuitbreaker,timeout").run(context ->
                assertThat(kinds((ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("inventory")))
                        .containsExactly("bulkhead", "circuitbreaker", "timeout"));
    }

    @Test
    void alwaysComposesTimeoutAndBulkheadForEveryId() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.resilience.timeout=always",
                "spring.cloud.circuitbreaker.resilience.bulkhead=always").run(context -> {
            ResilienceCloudCircuitBreaker breaker = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("unconfigured");
            assertThat(kinds(breaker)).containsExactly("circuitbreaker", "timeout", "bulkhead");
            assertThat(context.getBean(ResilienceRegistries.class).timeouts().find("unconfigured")).isPresent();
        });
    }

    @Test
    void neverLeavesOutTimeoutsAndBulkheadsThePropertiesConfigure() {
        runner.withPropertyValues("resilience.timeout.instances.inventory.timeout-duration=2s",
                "resilience.bulkhead.instances.inventory.max-concurrent-calls=3",
                "spring.cloud.circuitbreaker.resilience.timeout=never",
                "spring.cloud.circuitbreaker.resilience.bulkhead=never").run(context ->
                assertThat(kinds((ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("inventory")))
                        .containsExactly("circuitbreaker"));
    }

    @Test
    void aTimedOutCallReachesTheFallbackAsTimeoutExceededAndRanWithinTheDeadline() {
        ManualClock clock = new ManualClock();
        runner.withBean(Clock.class, () -> clock)
                .withPropertyValues("resilience.timeout.instances.inventory.timeout-duration=1s").run(context -> {
            AtomicReference<Deadline> deadline = new AtomicReference<>();
            Object received = context.getBean(CircuitBreakerFactory.class).create("inventory").run(() -> {
                deadline.set(Deadline.currentOrNull());
                clock.advance(Duration.ofSeconds(2));
                return "late";
            }, failure -> failure);

            assertThat(received).isInstanceOf(TimeoutExceededException.class);
            assertThat(deadline.get()).isNotNull();
            assertThat(Thread.interrupted()).isFalse();
            assertThat(context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory").metrics().failedCalls()).isEqualTo(1);
        });
    }

    @Test
    void aFullBulkheadReachesTheFallbackAsBulkheadFull() {
        runner.withPropertyValues("resilience.bulkhead.instances.inventory.max-concurrent-calls=1").run(context -> {
            org.springframework.cloud.client.circuitbreaker.CircuitBreaker breaker = context.getBean(CircuitBreakerFactory.class).create("inventory");
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> breaker.run(() -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "held";
            }, failure -> "fallback"));
            try {
                assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
                Object received = breaker.run(() -> "second", failure -> failure);
                assertThat(received).isInstanceOf(BulkheadFullException.class);
            } finally {
                release.countDown();
            }
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
            assertThat(context.getBean(ResilienceRegistries.class).bulkheads().get("inventory").metrics().availableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void onceShutdownBeganANewCallIsRefusedWithoutFallback() {
        runner.run(context -> {
            context.getBean(ShutdownGate.class).close();
            AtomicInteger fallbacks = new AtomicInteger();
            assertThatThrownBy(() -> context.getBean(CircuitBreakerFactory.class).create("inventory").run(() -> "live", failure -> {
                fallbacks.incrementAndGet();
                return "fallback";
            })).isInstanceOf(ShutdownInProgressException.class);
            assertThat(fallbacks).hasValue(0);
        });
    }

    @Test
    void aCallMadeInsideAnAdmittedCallStillRunsOnceShutdownBegan() {
        runner.run(context -> {
            CircuitBreakerFactory<?, ?> factory = context.getBean(CircuitBreakerFactory.class);
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            String result = factory.create("inventory").run(() -> {
                gate.close();
                return factory.create("nested").run(() -> "nested ran");
            });
            assertThat(result).isEqualTo("nested ran");
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void aCustomizerConfiguresABreakerFromWhatThePropertiesGive() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.failure-rate-threshold=30")
                .withUserConfiguration(PaymentsCustomizer.class)
                .run(context -> {
                    ResilienceCloudCircuitBreaker breaker = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("payments");
                    assertThat(breaker.circuitBreaker().config().slidingWindowSize()).isEqualTo(7);
                    assertThat(breaker.circuitBreaker().config().failureRateThreshold()).isEqualTo(30f);
                    assertThat(kinds(breaker)).containsExactly("circuitbreaker", "timeout");
                    assertThat(context.getBean(ResilienceRegistries.class).timeouts().get("payments").config().timeoutDuration())
                            .isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void aCustomizerSettingWhatThePropertiesConfigureFailsStartUp() {
        runner.withUserConfiguration(InventoryCustomizer.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("resilience.circuitbreaker.instances.inventory");
                });
    }

    @Test
    void anExplicitConfigForAnInstanceThatExistsWithAnotherConfigFailsOnCreate() {
        runner.withUserConfiguration(PaymentsCustomizer.class)
                .run(context -> {
                    context.getBean(ResilienceRegistries.class).circuitBreakers().get("payments");
                    assertThatThrownBy(() -> context.getBean(CircuitBreakerFactory.class).create("payments"))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("exists already with another config")
                            .hasMessageContaining("resilience.circuitbreaker.instances.payments");
                });
    }

    @Test
    void configureDefaultConfiguresIdsNothingElseConfigures() {
        runner.withUserConfiguration(DefaultCustomizer.class)
                .run(context -> {
                    CircuitBreakerFactory<?, ?> factory = context.getBean(CircuitBreakerFactory.class);
                    assertThat(((ResilienceCloudCircuitBreaker) factory.create("payments")).circuitBreaker().config().slidingWindowSize()).isEqualTo(42);
                    assertThat(((ResilienceCloudCircuitBreaker) factory.create("inventory")).circuitBreaker().config().slidingWindowSize()).isEqualTo(2);
                });
    }

    @Test
    void aBreakerOfAGroupTakesTheGroupsSharedConfig() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.catalog.sliding-window-size=9",
                "resilience.timeout.configs.catalog.timeout-duration=4s").run(context -> {
            ResilienceCloudCircuitBreaker breaker = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class)
                    .create("CatalogClient#item(String)", "catalog");
            assertThat(breaker.circuitBreaker().name()).isEqualTo("CatalogClient#item(String)");
            assertThat(breaker.circuitBreaker().config().slidingWindowSize()).isEqualTo(9);
            assertThat(kinds(breaker)).containsExactly("circuitbreaker", "timeout");
        });
    }

    @Test
    void configuringABreakerAfterItWasCreatedFails() {
        runner.run(context -> {
            ResilienceCircuitBreakerFactory factory = context.getBean(ResilienceCircuitBreakerFactory.class);
            factory.create("payments");
            assertThatThrownBy(() -> factory.configure(builder -> builder.circuitBreakerConfig(config -> config.slidingWindowSize(3)), "payments"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("created before it was configured");
        });
    }
}
