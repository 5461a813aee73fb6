package dev.resilience.spring.event;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryEvent;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilienceEventListenerBeansTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceEventsAutoConfiguration.class))
            .withPropertyValues("resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
                    "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=2",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=2",
                    "resilience.retry.instances.payments.max-attempts=2",
                    "resilience.retry.instances.payments.wait-duration=0s");

    /** Heard by the listener beans below. */
    static final class Heard {
        final List<ResilienceEvent> all = new CopyOnWriteArrayList<>();
        final List<CircuitBreakerEvent> breakers = new CopyOnWriteArrayList<>();
        final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        final List<CircuitBreakerStateTransitionEvent> transitions = new CopyOnWriteArrayList<>();
    }

    /** Typed through its class. */
    static final class RetryListener implements ResilienceEventListener<RetryEvent> {
        private final Heard heard;

        RetryListener(Heard heard) {
            this.heard = heard;
        }

        @Override
        public void onEvent(RetryEvent event) {
            heard.retries.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Heard heard() {
            return new Heard();
        }

        @Bean
        ResilienceEventListener<ResilienceEvent> everything(Heard heard) {
            return heard.all::add;
        }

        /** Typed through its bean method: a lambda's class does not say. */
        @Bean
        ResilienceEventListener<CircuitBreakerEvent> breakersOnly(Heard heard) {
            return heard.breakers::add;
        }

        @Bean
        RetryListener retriesOnly(Heard heard) {
            return new RetryListener(heard);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RetryListenerOnly {
        @Bean
        Heard heard() {
            return new Heard();
        }

        @Bean
        RetryListener retriesOnly(Heard heard) {
            return new RetryListener(heard);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ApplicationEventListener {
        @Bean
        Heard heard() {
            return new Heard();
        }

        @Bean
        Object transitionListener(Heard heard) {
            return new Object() {
                @EventListener
                void on(CircuitBreakerStateTransitionEvent event) {
                    heard.transitions.add(event);
                }
            };
        }
    }

    private static void openBreaker(CircuitBreaker breaker) {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    /** A retry publishes events only once an attempt has failed: the first fails, the second succeeds. */
    private static String retriedOnce(Retry retry) {
        int[] attempts = new int[1];
        return retry.call(() -> {
            if (attempts[0]++ == 0) {
                throw new IllegalStateException("first attempt");
            }
            return "ok";
        });
    }

    private static boolean subscribed(dev.resilience.Policy policy) {
        return ((EventPublisher<?>) policy.events()).hasListeners();
    }

    @Test
    void anUntypedListenerHearsEveryKindOfEveryInstanceIncludingThoseCreatedAfterStartUp() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            Heard heard = context.getBean(Heard.class);
            registries.circuitBreakers().get("inventory").call(() -> "ok");
            retriedOnce(registries.retries().get("payments"));
            registries.circuitBreakers().get("createdLater").call(() -> "ok");

            assertThat(heard.all).extracting(ResilienceEvent::kind, ResilienceEvent::name, ResilienceEvent::type)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("circuitbreaker", "inventory", "SUCCESS"),
                            org.assertj.core.groups.Tuple.tuple("retry", "payments", "RETRY"),
                            org.assertj.core.groups.Tuple.tuple("retry", "payments", "SUCCESS"),
                            org.assertj.core.groups.Tuple.tuple("circuitbreaker", "createdLater", "SUCCESS"));
        });
    }

    @Test
    void aTypedListenerHearsOnlyItsKindWhetherTypedByItsClassOrItsBeanMethod() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            Heard heard = context.getBean(Heard.class);
            registries.circuitBreakers().get("inventory").call(() -> "ok");
            retriedOnce(registries.retries().get("payments"));
            registries.bulkheads().get("orders").call(() -> "ok");

            assertThat(heard.breakers).extracting(CircuitBreakerEvent::name).containsExactly("inventory");
            assertThat(heard.retries).extracting(RetryEvent::eventType)
                    .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
            assertThat(heard.all).extracting(ResilienceEvent::kind).contains("bulkhead");
        });
    }

    @Test
    void anInstanceNoListenerWantsIsNotSubscribedTo() {
        runner.withUserConfiguration(RetryListenerOnly.class).run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(subscribed(registries.retries().get("payments"))).isTrue();
            assertThat(subscribed(registries.circuitBreakers().get("inventory"))).isFalse();
            assertThat(subscribed(registries.circuitBreakers().get("createdLater"))).isFalse();
        });
    }

    @Test
    void withNoListenerAndNoApplicationEventsNothingIsSubscribedTo() {
        runner.run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(context.getBean(ResilienceEventDispatcher.class).isListening()).isFalse();
            assertThat(subscribed(registries.circuitBreakers().get("inventory"))).isFalse();
            assertThat(subscribed(registries.retries().get("payments"))).isFalse();
            assertThat(subscribed(registries.circuitBreakers().get("createdLater"))).isFalse();
        });
    }

    @Test
    void aFailingListenerAffectsNeitherTheCallNorTheOtherListeners() {
        runner.withUserConfiguration(Listeners.class)
                .withBean("failing", ResilienceEventListener.class, () -> event -> {
                    throw new IllegalStateException("listener bug");
                })
                .run(context -> {
                    Heard heard = context.getBean(Heard.class);
                    assertThat(context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory").call(() -> "ok"))
                            .isEqualTo("ok");
                    assertThat(heard.breakers).hasSize(1);
                    assertThat(heard.all).hasSize(1);
                });
    }

    @Test
    void aRemovedInstanceIsUnsubscribed() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            CircuitBreaker removed = registries.circuitBreakers().get("createdLater");
            assertThat(subscribed(removed)).isTrue();
            registries.circuitBreakers().remove("createdLater");
            assertThat(subscribed(removed)).isFalse();
        });
    }

    @Test
    void stateTransitionsArePublishedAsApplicationEventsWhenAskedFor() {
        runner.withUserConfiguration(ApplicationEventListener.class)
                .withPropertyValues("resilience.events.publish-application-events=true")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    Heard heard = context.getBean(Heard.class);
                    openBreaker(registries.circuitBreakers().get("inventory"));
                    openBreaker(registries.circuitBreakers().get("createdLater"));

                    assertThat(heard.transitions).extracting(CircuitBreakerStateTransitionEvent::getName,
                                    CircuitBreakerStateTransitionEvent::getFrom, CircuitBreakerStateTransitionEvent::getTo)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("inventory", CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN),
                                    org.assertj.core.groups.Tuple.tuple("createdLater", CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN));
                    assertThat(heard.transitions.get(0).getCircuitBreaker()).isSameAs(registries.circuitBreakers().get("inventory"));
                    // Only breakers have state transitions: nothing else is subscribed to for them.
                    assertThat(subscribed(registries.retries().get("payments"))).isFalse();
                });
    }

    @Test
    void noApplicationEventsByDefault() {
        runner.withUserConfiguration(ApplicationEventListener.class).run(context -> {
            openBreaker(context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory"));
            assertThat(context.getBean(Heard.class).transitions).isEmpty();
            assertThat(subscribed(context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory"))).isFalse();
        });
    }

    @Test
    void typedRegistrationResolvesTheEventTypeFromTheListenerClass() {
        assertThat(ResilienceEventDispatcher.Registration.of(new RetryListener(new Heard())).eventType()).isEqualTo(RetryEvent.class);
        assertThat(ResilienceEventDispatcher.Registration.of(event -> { }).eventType()).isEqualTo(ResilienceEvent.class);
    }
}
