package dev.resilience.timeout;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Timeout#reconfigure}: a call already running keeps its duration; the next call uses the new one. */
class TimeoutReconfigurationTest {

    private final ManualClock clock = new ManualClock();

    private static TimeoutConfig after(Duration duration) {
        return TimeoutConfig.builder().timeoutDuration(duration).build();
    }

    @Test
    void aRunningCallKeepsItsDurationAndTheNextCallUsesTheNewOne() {
        Timeout timeout = Timeout.of("t", after(Duration.ofSeconds(10)), clock, Runnable::run);
        CompletableFuture<String> running = timeout.callAsync(() -> new CompletableFuture<String>()).toCompletableFuture();

        timeout.reconfigure(after(Duration.ofSeconds(2)));
        CompletableFuture<String> next = timeout.callAsync(() -> new CompletableFuture<String>()).toCompletableFuture();

        clock.advance(Duration.ofSeconds(2));
        assertThat(next).isCompletedExceptionally();
        assertThat(running).isNotDone();
        clock.advance(Duration.ofSeconds(8));
        assertThat(running).isCompletedExceptionally();
        assertThat(timeout.config().timeoutDuration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aChangePublishesConfigChanged() {
        Timeout timeout = Timeout.of("t", after(Duration.ofSeconds(1)), clock);
        List<TimeoutEvent> events = new ArrayList<>();
        timeout.events().subscribe(events::add);

        timeout.reconfigure(after(Duration.ofSeconds(3)));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo(TimeoutEvent.Type.CONFIG_CHANGED);
            assertThat(e.details()).containsEntry("from", after(Duration.ofSeconds(1)).toString())
                    .containsEntry("to", after(Duration.ofSeconds(3)).toString());
        });
    }
}
