package dev.resilience.spring.event;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadEvent;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadEvent;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.core.EventListener;
import dev.resilience.core.Events;
import dev.resilience.core.Registry;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.Subscription;
import dev.resilience.ratelimiter.RateLimiterEvent;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryEvent;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.ResolvableType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers the events of every policy instance, current and future, to the {@link ResilienceEventListener} beans, each
 * only the events of the kind it is typed for, and (optionally) circuit breaker state transitions as
 * {@link CircuitBreakerStateTransitionEvent} application events. An instance no listener wants is not subscribed to,
 * so its calls create no event objects; with no listener at all, {@link #start()} subscribes to nothing, not even to
 * the registries.
 *
 * <p>Thread-safe. {@link #close()} ends every subscription.
 */
public final class ResilienceEventDispatcher implements SmartInitializingSingleton, AutoCloseable {

    private static final Map<String, Class<? extends ResilienceEvent>> EVENT_TYPES = Map.of(
            CircuitBreaker.KIND, CircuitBreakerEvent.class,
            Retry.KIND, RetryEvent.class,
            Bulkhead.KIND, BulkheadEvent.class,
            ThreadPoolBulkhead.KIND, ThreadPoolBulkheadEvent.class,
            RequestNotPermittedException.KIND, RateLimiterEvent.class,
            Timeout.KIND, TimeoutEvent.class);

    /**
     * A listener and the events it takes.
     *
     * @param eventType the event type it is typed for ({@link ResilienceEvent} for all)
     * @param listener the listener
     */
    public record Registration(Class<? extends ResilienceEvent> eventType, ResilienceEventListener<?> listener) {

        /**
         * @param eventType the event type it is typed for
         * @param listener the listener
         */
        public Registration {
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(listener, "listener");
        }

        /**
         * @param listener a listener, typed through its class (a lambda's type is unknown: use
         *     {@link #of(ResilienceEventListener, ResolvableType)} with its bean's declared type)
         * @return its registration
         */
        public static Registration of(ResilienceEventListener<?> listener) {
            return of(listener, ResolvableType.NONE);
        }

        /**
         * @param listener a listener
         * @param declared its declared type (e.g. a {@code @Bean} method's return type), consulted when the listener's
         *     class does not say which events it takes (a lambda); {@link ResolvableType#NONE} if unknown
         * @return its registration; a listener whose event type cannot be resolved takes every event
         */
        public static Registration of(ResilienceEventListener<?> listener, ResolvableType declared) {
            Class<?> type = ResolvableType.forClass(listener.getClass()).as(ResilienceEventListener.class).getGeneric(0).resolve();
            if (type == null && declared != ResolvableType.NONE) {
                type = declared.as(ResilienceEventListener.class).getGeneric(0).resolve();
            }
            return new Registration(type == null ? ResilienceEvent.class : type.asSubclass(ResilienceEvent.class), listener);
        }
    }

    private final ResilienceRegistries registries;
    private final List<Registration> listeners;
    private final @Nullable ApplicationEventPublisher applicationEvents;
    private final AtomicBoolean started = new AtomicBoolean();
    private final List<Subscription> registrySubscriptions = new CopyOnWriteArrayList<>();
    // Keyed by identity: a removed instance and a new one of the same name are different instances.
    private final ConcurrentHashMap<Policy, List<Subscription>> subscriptions = new ConcurrentHashMap<>();

    /**
     * @param registries the instances to follow
     * @param listeners the listeners, in the order they are called
     * @param applicationEvents where to publish circuit breaker state transitions, or {@code null} not to
     */
    public ResilienceEventDispatcher(ResilienceRegistries registries, List<Registration> listeners,
                                     @Nullable ApplicationEventPublisher applicationEvents) {
        this.registries = Objects.requireNonNull(registries, "registries");
        this.listeners = List.copyOf(listeners);
        this.applicationEvents = applicationEvents;
    }

    /** Starts following the registries, unless nobody listens; a second call does nothing. */
    public void start() {
        if (!isListening() || !started.compareAndSet(false, true)) {
            return;
        }
        for (Registry<? extends Policy, ?> registry : registries.all()) {
            follow(registry);
        }
    }

    /** Starts once the application context has created its singletons. */
    @Override
    public void afterSingletonsInstantiated() {
        start();
    }

    /** @return whether there is any listener or application events are published */
    public boolean isListening() {
        return !listeners.isEmpty() || applicationEvents != null;
    }

    private <P extends Policy> void follow(Registry<P, ?> registry) {
        // Subscribe first so that no instance created meanwhile is missed; computeIfAbsent keeps one seen twice from
        // being subscribed to twice.
        registrySubscriptions.add(registry.onAdded(this::listen));
        registrySubscriptions.add(registry.onRemoved(this::forget));
        registry.all().forEach(this::listen);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void listen(Policy policy) {
        Class<? extends ResilienceEvent> eventType = EVENT_TYPES.getOrDefault(policy.kind(), ResilienceEvent.class);
        List<EventListener<ResilienceEvent>> wanted = new ArrayList<>();
        for (Registration registration : listeners) {
            if (registration.eventType().isAssignableFrom(eventType)) {
                ResilienceEventListener<ResilienceEvent> listener = (ResilienceEventListener<ResilienceEvent>) registration.listener();
                wanted.add(listener::onEvent);
            }
        }
        if (applicationEvents != null && policy instanceof CircuitBreaker breaker) {
            wanted.add(event -> publishTransition(breaker, event));
        }
        if (wanted.isEmpty()) {
            return;
        }
        subscriptions.computeIfAbsent(policy, p -> {
            List<Subscription> subscribed = new ArrayList<>(wanted.size());
            // One subscription each: the policy's publisher isolates a failing listener from the others.
            for (EventListener<ResilienceEvent> listener : wanted) {
                subscribed.add(((Events) p.events()).subscribe(listener));
            }
            return subscribed;
        });
    }

    private void publishTransition(CircuitBreaker breaker, ResilienceEvent event) {
        if (event instanceof CircuitBreakerEvent transition && transition.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
            applicationEvents.publishEvent(new CircuitBreakerStateTransitionEvent(breaker,
                    CircuitBreaker.State.valueOf(String.valueOf(transition.details().get("from"))),
                    CircuitBreaker.State.valueOf(String.valueOf(transition.details().get("to"))), transition.time()));
        }
    }

    private void forget(Policy policy) {
        List<Subscription> removed = subscriptions.remove(policy);
        if (removed != null) {
            removed.forEach(Subscription::close);
        }
    }

    /** Stops following the registries and unsubscribes from every instance. */
    @Override
    public void close() {
        registrySubscriptions.forEach(Subscription::close);
        registrySubscriptions.clear();
        subscriptions.values().forEach(list -> list.forEach(Subscription::close));
        subscriptions.clear();
    }
}
