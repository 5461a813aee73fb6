package dev.resilience.hop;

import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryBudgets;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spi.ContextCarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.resilience.hop.ThreadLocalCarrier.USER;
import static dev.resilience.hop.ThreadLocalCarrier.as;
import static org.assertj.core.api.Assertions.assertThat;

/** An asynchronous retry attempt after a backoff, and the call's end, run in the caller's context. */
class RetryCallerContextTest {

    private final ManualClock clock = new ManualClock();
    private final ContextCarrier carrier = new ThreadLocalCarrier();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        USER.remove();
    }

    @Test
    void anAttemptAfterABackoffAndTheCallersDependentsRunInTheCallersContext() {
        Retry retry = Retry.of("retry", RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofSeconds(1))
                .asyncExecutor(Runnable::run).build(), clock, new RetryBudgets(clock), carrier);
        as("grace", () -> retry.callAsync(() -> {
            seen.add("attempt " + USER.get());
            return CompletableFuture.failedFuture(new IOException("down"));
        }).whenComplete((v, t) -> seen.add("dependent " + USER.get())));

        clock.advance(Duration.ofSeconds(1)); // on this thread, which has no context of its own

        assertThat(seen).containsExactly("attempt grace", "attempt grace", "dependent grace");
        assertThat(USER.get()).isNull();
    }
}
