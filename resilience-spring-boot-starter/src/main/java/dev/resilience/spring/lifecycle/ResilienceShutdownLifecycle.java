package dev.resilience.spring.lifecycle;

import dev.resilience.GracefulShutdown;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.NamedThreadFactory;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceRegistries;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Graceful shutdown of everything that runs through our annotations.
 *
 * <p>In a phase just after the web server's graceful shutdown (so requests still draining there keep their
 * resilience, retries included), retries stop at once (waiting backoffs end with their last failure, no
 * further attempt starts), new top-level calls are refused with {@code ShutdownInProgressException} (calls
 * made from inside a call in flight still run), calls in flight are awaited up to
 * {@code resilience.shutdown.timeout}, thread-pool bulkheads are shut down with every queued future
 * completed, and one INFO line reports the result. Stopping runs on its own thread, so other lifecycle
 * beans of the same phase are not held up.
 *
 * <p>Only the stopping of this bean's own context triggers it: no context event is listened to, so closing a
 * child context (whose events Spring forwards to its parent) leaves the parent's policies alone.
 */
public class ResilienceShutdownLifecycle implements SmartLifecycle {

    /**
     * One below {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} ({@code Integer.MAX_VALUE - 1024}):
     * lifecycle beans stop in descending phase order, so this stops right after the web server has drained.
     */
    public static final int PHASE = Integer.MAX_VALUE - 1024 - 1;

    private static final Log LOG = LogFactory.getLog(ResilienceShutdownLifecycle.class);

    private final ShutdownGate gate;
    private final ResilienceRegistries registries;
    private final Duration timeout;
    private final Clock clock;
    private volatile boolean running;
    private volatile GracefulShutdown.Report lastReport;

    /**
     * @param gate the gate of all annotated methods
     * @param registries every instance
     * @param timeout longest wait for calls in flight
     * @param clock time source
     */
    public ResilienceShutdownLifecycle(ShutdownGate gate, ResilienceRegistries registries, Duration timeout, Clock clock) {
        this.gate = gate;
        this.registries = registries;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        drain();
    }

    @Override
    public void stop(Runnable callback) {
        Thread thread = new NamedThreadFactory("resilience-shutdown").newThread(() -> {
            try {
                drain();
            } finally {
                callback.run();
            }
        });
        thread.start();
    }

    private void drain() {
        if (!running) {
            return;
        }
        running = false;
        List<dev.resilience.Policy> policies = new ArrayList<>();
        registries.all().forEach(registry -> policies.addAll(registry.all()));
        try {
            GracefulShutdown.Report report = GracefulShutdown.shutdown(gate, policies, timeout, clock);
            lastReport = report;
            LOG.info(report.summary());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Resilience shutdown interrupted; " + gate.inFlight() + " call(s) still in flight were abandoned");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return the report of the last shutdown, or {@code null} before one */
    public GracefulShutdown.Report lastReport() {
        return lastReport;
    }
}
