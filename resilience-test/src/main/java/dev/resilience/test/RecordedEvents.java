package dev.resilience.test;

import dev.resilience.Policy;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.EventListener;
import dev.resilience.core.Registry;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every event of the policy instances it listens to, in the order they were published, for assertions
 * ({@link ResilienceAssertions#assertThat(RecordedEvents)}). Listening to a registry covers the instances it holds and
 * every instance it creates later. Unbounded: meant for the length of a test, then {@link #clear()} or {@link #close()}.
 *
 * <p>Thread-safe: events may be recorded from any thread while a test reads.
 */
public final class RecordedEvents implements AutoCloseable {

    private final ConcurrentLinkedQueue<ResilienceEvent> events = new ConcurrentLinkedQueue<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final EventListener<ResilienceEvent> recorder = events::add;
    private final Set<Policy> listening = ConcurrentHashMap.newKeySet();

    private RecordedEvents() {
    }

    /**
     * @param policies the instances to listen to
     * @return a recorder listening to each of them from now on
     */
    public static RecordedEvents of(Policy... policies) {
        RecordedEvents recorded = new RecordedEvents();
        for (Policy policy : policies) {
            recorded.listen(policy);
        }
        return recorded;
    }

    /**
     * @param registries the registries to follow
     * @return a recorder listening to every instance of each registry, present and future
     */
    public static RecordedEvents ofRegistries(Iterable<? extends Registry<? extends Policy, ?>> registries) {
        RecordedEvents recorded = new RecordedEvents();
        for (Registry<? extends Policy, ?> registry : registries) {
            recorded.follow(registry);
        }
        return recorded;
    }

    private <P extends Policy> void follow(Registry<P, ?> registry) {
        // Subscribe first, then walk the existing instances: an instance created in between is seen twice at worst,
        // and listen() keeps one subscription per instance.
        subscriptions.add(registry.onAdded(this::listen));
        registry.all().forEach(this::listen);
    }

    private void listen(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        if (listening.add(policy)) {
            subscriptions.add(policy.events().subscribe(recorder));
        }
    }

    /** @return every event recorded so far, oldest first */
    public List<ResilienceEvent> all() {
        return new ArrayList<>(events);
    }

    /**
     * @param kind a policy kind, e.g. {@code circuitbreaker}
     * @param name an instance name
     * @return the events of that instance, oldest first
     */
    public List<ResilienceEvent> of(String kind, String name) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.name().equals(name)).toList();
    }

    /**
     * @param breakerName a circuit breaker's name
     * @return its state transitions, oldest first, each as {@code FROM->TO} (e.g. {@code CLOSED->OPEN})
     */
    public List<String> transitions(String breakerName) {
        return transitions().stream().filter(t -> t.name().equals(breakerName)).map(Transition::toString).toList();
    }

    /** @return the state transitions of every circuit breaker, oldest first */
    public List<Transition> transitions() {
        List<Transition> transitions = new ArrayList<>();
        for (ResilienceEvent event : events) {
            if (event.kind().equals(CircuitBreaker.KIND) && event.type().equals("STATE_TRANSITION")) {
                transitions.add(new Transition(event.name(),
                        CircuitBreaker.State.valueOf(String.valueOf(event.details().get("from"))),
                        CircuitBreaker.State.valueOf(String.valueOf(event.details().get("to")))));
            }
        }
        return transitions;
    }

    /** Forgets the events recorded so far and keeps listening. */
    public void clear() {
        events.clear();
    }

    /** Stops listening (to the registries and to every instance). */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        listening.clear();
    }

    /**
     * One state transition of a circuit breaker.
     *
     * @param name the breaker's name
     * @param from the state it left
     * @param to the state it entered
     */
    public record Transition(String name, CircuitBreaker.State from, CircuitBreaker.State to) {

        /** @return {@code FROM->TO} */
        @Override
        public String toString() {
            return from + "->" + to;
        }
    }
}
