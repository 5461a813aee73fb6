package dev.resilience.ratelimiter;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduled;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test clock whose timer is as late as the test wants: scheduled tasks are held until {@link #runHeldTasks()}.
 * Time moves only by {@link #setMillis}; a sleeping thread blocks until time has reached the end of its sleep (or,
 * after {@link #letSleepsAdvanceTime()}, moves time forward itself and returns, like a manual clock).
 */
final class HeldTimerClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition timeMoved = lock.newCondition();
    private final List<Runnable> held = new ArrayList<>();
    private final Map<Long, AtomicInteger> sleptMillis = new ConcurrentHashMap<>();
    private volatile boolean sleepsAdvanceTime;
    private final AtomicInteger sleeping = new AtomicInteger();

    /**
     * @return how many threads are in {@link #sleep} with their wake-up time fixed: a test moves the clock only once
     *     its waiters are here, since a sleep that starts after a jump would count its duration from the new time
     */
    int sleeping() {
        return sleeping.get();
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return nanos.get() / 1_000_000;
    }

    @Override
    public void sleep(long sleepNanos) throws InterruptedException {
        sleptMillis.computeIfAbsent(sleepNanos / 1_000_000, k -> new AtomicInteger()).incrementAndGet();
        if (sleepsAdvanceTime) {
            nanos.addAndGet(sleepNanos);
            return;
        }
        long until = nanos.get() + sleepNanos;
        sleeping.incrementAndGet();
        lock.lock();
        try {
            while (!sleepsAdvanceTime && nanos.get() < until) {
                timeMoved.await();
            }
        } finally {
            lock.unlock();
            sleeping.decrementAndGet();
        }
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        lock.lock();
        try {
            held.add(task);
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                return held.remove(task);
            } finally {
                lock.unlock();
            }
        };
    }

    /** Sets the time and wakes the sleepers whose sleep has ended; runs no task. */
    void setMillis(long millis) {
        lock.lock();
        try {
            nanos.set(millis * 1_000_000);
            timeMoved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** From now on a sleep moves time forward by its length and returns at once; blocked sleepers return now. */
    void letSleepsAdvanceTime() {
        sleepsAdvanceTime = true;
        setMillis(nanos.get() / 1_000_000);
    }

    /** Runs the tasks scheduled so far, late, at the current time. */
    void runHeldTasks() {
        List<Runnable> due;
        lock.lock();
        try {
            due = new ArrayList<>(held);
            held.clear();
        } finally {
            lock.unlock();
        }
        due.forEach(Runnable::run);
    }

    /** @return how many scheduled tasks are held */
    int heldTasks() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many sleeps were asked for, by length in milliseconds */
    Map<Long, Integer> sleptMillis() {
        Map<Long, Integer> result = new TreeMap<>();
        sleptMillis.forEach((millis, count) -> result.put(millis, count.get()));
        return result;
    }
}
