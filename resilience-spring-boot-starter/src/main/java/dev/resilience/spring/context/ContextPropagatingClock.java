package dev.resilience.spring.context;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduled;

/** A clock whose scheduled tasks run in the context captured when they were scheduled; time comes from the delegate. */
final class ContextPropagatingClock implements Clock {

    private final Clock delegate;

    ContextPropagatingClock(Clock delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return delegate.currentTimeMillis();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        delegate.sleep(nanos);
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        return delegate.schedule(ContextSnapshots.wrap(task), delayNanos);
    }
}
