package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventPublisherTest {

    record Ping(String type) implements ResilienceEvent {
        @Override
        public String kind() {
            return "test";
        }

        @Override
        public String name() {
            return "n";
        }

        @Override
        public long epochMillis() {
            return 0;
        }
    }

    private final EventPublisher<Ping> publisher = new EventPublisher<>();

    @Test
    void hasNoListenersUntilOneSubscribes() {
        assertThat(publisher.hasListeners()).isFalse();
        publisher.subscribe(e -> { });
        assertThat(publisher.hasListeners()).isTrue();
    }

    @Test
    void deliversToEveryListenerInSubscriptionOrder() {
        List<String> seen = new ArrayList<>();
        publisher.subscribe(e -> seen.add("1:" + e.type()));
        publisher.subscribe(e -> seen.add("2:" + e.type()));
        publisher.publish(new Ping("A"));
        assertThat(seen).containsExactly("1:A", "2:A");
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<String> seen = new ArrayList<>();
        publisher.subscribe(e -> {
            throw new IllegalStateException("boom");
        });
        publisher.subscribe(e -> seen.add(e.type()));
        publisher.publish(new Ping("A"));
        assertThat(seen).containsExactly("A");
    }

    @Test
    void closingASubscriptionRemovesOnlyThatListener() {
        List<String> seen = new ArrayList<>();
        Subscription first = publisher.subscribe(e -> seen.add("1"));
        publisher.subscribe(e -> seen.add("2"));
        first.close();
        first.close();
        publisher.publish(new Ping("A"));
        assertThat(seen).containsExactly("2");
    }
}
