package dev.resilience.bulkhead.internal;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work queue of a {@link ExecutorThreadPoolBulkhead}: bounded like an {@link java.util.concurrent.ArrayBlockingQueue},
 * but its capacity can change while tasks wait in it. A capacity of 0 hands a task to a thread waiting for work, as a
 * {@link java.util.concurrent.SynchronousQueue} does, and queues nothing.
 *
 * <p>A cut below the tasks queued keeps every one of them (they still run, in order); {@link #offer} refuses tasks
 * until fewer than the new capacity wait. The bound is exact under concurrent offers: a task is counted before it is
 * added and uncounted after it is taken out, and an offer adds only if it could raise the count while it was below the
 * capacity, so the queue never holds more than the capacity through offers.
 *
 * <p>Only the operations a {@link java.util.concurrent.ThreadPoolExecutor} uses are offered: the blocking
 * insertions ({@link #put}, timed {@link #offer(Runnable, long, TimeUnit)}) throw {@link UnsupportedOperationException}.
 * Thread-safe, lock-free.
 */
final class ResizableTaskQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

    private final LinkedTransferQueue<Runnable> tasks = new LinkedTransferQueue<>();
    /** Tasks counted in: never below the tasks in {@link #tasks} (raised before adding, lowered after taking out). */
    private final AtomicInteger count = new AtomicInteger();
    private volatile int capacity;

    /** @param capacity tasks that may wait; zero or more */
    ResizableTaskQueue(int capacity) {
        this.capacity = capacity;
    }

    /** @param capacity the new bound for the next offers; zero or more (tasks waiting beyond it stay) */
    void capacity(int capacity) {
        this.capacity = capacity;
    }

    /** @return the bound in force */
    int capacity() {
        return capacity;
    }

    @Override
    public boolean offer(Runnable task) {
        Objects.requireNonNull(task, "task");
        int bound = capacity;
        if (bound == 0) {
            // No queue: only a thread waiting for work can take the task (it uncounts it when it gets it).
            count.incrementAndGet();
            if (tasks.tryTransfer(task)) {
                return true;
            }
            count.decrementAndGet();
            return false;
        }
        for (int counted = count.get(); ; counted = count.get()) {
            if (counted >= bound) {
                return false;
            }
            if (count.compareAndSet(counted, counted + 1)) {
                return tasks.offer(task); // unbounded: always true
            }
        }
    }

    @Override
    public Runnable poll() {
        return uncount(tasks.poll());
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        return uncount(tasks.poll(timeout, unit));
    }

    @Override
    public Runnable take() throws InterruptedException {
        return uncount(tasks.take());
    }

    private Runnable uncount(Runnable task) {
        if (task != null) {
            count.decrementAndGet();
        }
        return task;
    }

    @Override
    public boolean remove(Object task) {
        if (tasks.remove(task)) {
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public int drainTo(Collection<? super Runnable> sink) {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Runnable> sink, int maxElements) {
        int drained = tasks.drainTo(sink, maxElements);
        count.addAndGet(-drained);
        return drained;
    }

    @Override
    public Runnable peek() {
        return tasks.peek();
    }

    /** @return the tasks waiting (counted; may briefly include one being handed over or taken out) */
    @Override
    public int size() {
        return Math.max(0, count.get());
    }

    @Override
    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - count.get());
    }

    @Override
    public boolean contains(Object task) {
        return tasks.contains(task);
    }

    @Override
    public Object[] toArray() {
        return tasks.toArray();
    }

    @Override
    public <T> T[] toArray(T[] array) {
        return tasks.toArray(array);
    }

    /** @return the waiting tasks in order; its {@code remove} takes the task out only if it is still queued */
    @Override
    public Iterator<Runnable> iterator() {
        Iterator<Runnable> inner = tasks.iterator();
        return new Iterator<>() {
            private Runnable last;

            @Override
            public boolean hasNext() {
                return inner.hasNext();
            }

            @Override
            public Runnable next() {
                last = inner.next();
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() was not called");
                }
                ResizableTaskQueue.this.remove(last);
                last = null;
            }
        };
    }

    /** @throws UnsupportedOperationException always: the pool never waits to queue a task */
    @Override
    public void put(Runnable task) {
        throw new UnsupportedOperationException("a bulkhead's queue never waits for room");
    }

    /** @throws UnsupportedOperationException always: the pool never waits to queue a task */
    @Override
    public boolean offer(Runnable task, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("a bulkhead's queue never waits for room");
    }
}
