package dev.resilience.sample.downstream;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The switchable misbehaviour of every downstream. Thread-safe and lock-free: settings are swapped
 * atomically, so a call sees either the old or the new settings, never a mix.
 */
@Component
public class Chaos {

    /** Longest a hanging call waits for the downstream to be healed, so nothing hangs forever. */
    public static final Duration HANG_LIMIT = Duration.ofSeconds(30);

    private final Map<Downstream, State> states = new EnumMap<>(Downstream.class);
    /** Counted down (and replaced) by every heal, which releases the calls hanging at that moment. */
    private final AtomicReference<CountDownLatch> healed = new AtomicReference<>(new CountDownLatch(1));

    /** Starts with every downstream healthy. */
    public Chaos() {
        for (Downstream downstream : Downstream.values()) {
            states.put(downstream, new State());
        }
    }

    /**
     * Runs the misbehaviour set for a downstream before it answers.
     *
     * @param downstream the downstream being called
     * @throws ResponseStatusException 503 for a transient failure ({@code failNext}), 500 for a random one
     * @throws InterruptedException when the serving thread is interrupted while delayed or hanging
     */
    public void apply(Downstream downstream) throws InterruptedException {
        State state = states.get(downstream);
        state.inFlight.incrementAndGet();
        try {
            // The latch is read before the settings: a heal in between then releases us instead of being missed.
            CountDownLatch released = healed.get();
            ChaosSettings settings = state.settings.get();
            if (settings.latencyMs() > 0) {
                Thread.sleep(settings.latencyMs());
            }
            if (settings.hang()) {
                released.await(HANG_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (state.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, downstream.id() + " failed (chaos: failNext)");
            }
            if (settings.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
                throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR, downstream.id() + " failed (chaos: failureRate)");
            }
        } finally {
            state.inFlight.decrementAndGet();
        }
    }

    /**
     * @param downstream the downstream to break
     * @param settings how it should misbehave from now on (replaces the previous settings)
     */
    public void set(Downstream downstream, ChaosSettings settings) {
        State state = states.get(downstream);
        state.settings.set(settings);
        state.failNext.set(settings.failNext());
        if (!settings.hang()) {
            release();
        }
    }

    /** Makes every downstream behave again and releases every hanging call. */
    public void healAll() {
        for (State state : states.values()) {
            state.settings.set(ChaosSettings.HEALTHY);
            state.failNext.set(0);
        }
        release();
    }

    /**
     * @param downstream a downstream
     * @return its settings now and the calls it is serving
     */
    public ChaosView view(Downstream downstream) {
        State state = states.get(downstream);
        ChaosSettings settings = state.settings.get();
        return new ChaosView(settings.failureRate(), settings.latencyMs(), settings.hang(), state.failNext.get(),
                state.inFlight.get());
    }

    private void release() {
        healed.getAndSet(new CountDownLatch(1)).countDown();
    }

    /** One downstream's switches and its count of calls in progress. */
    private static final class State {
        final AtomicReference<ChaosSettings> settings = new AtomicReference<>(ChaosSettings.HEALTHY);
        final AtomicInteger failNext = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
    }
}
