package dev.resilience.bulkhead.internal;

import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/** The thread-pool bulkhead's queue: an exact bound that can change while tasks wait. */
class ResizableTaskQueueTest {

    /** @return a task of its own (a non-capturing lambda would be one shared instance) */
    private static Runnable task() {
        return new Runnable() {
            @Override
            public void run() {
            }
        };
    }

    @Test
    void concurrentOffersNeverQueueMoreThanTheCapacity() throws Exception {
        ResizableTaskQueue queue = new ResizableTaskQueue(37);
        LongAdder accepted = new LongAdder();

        Together.run(8, me -> {
            for (int i = 0; i < 1_000; i++) {
                if (queue.offer(task())) {
                    accepted.increment();
                }
            }
        });

        assertThat(accepted.sum()).isEqualTo(37);
        assertThat(queue.size()).isEqualTo(37);
        assertThat(queue.remainingCapacity()).isZero();
    }

    @Test
    void aCutKeepsTheTasksQueuedAndRefusesOffersUntilFewerThanTheNewCapacityWait() {
        ResizableTaskQueue queue = new ResizableTaskQueue(5);
        List<Runnable> offered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Runnable task = task();
            offered.add(task);
            assertThat(queue.offer(task)).isTrue();
        }

        queue.capacity(2);

        assertThat(queue.size()).isEqualTo(5);
        assertThat(queue.offer(task())).isFalse();
        assertThat(queue.poll()).isSameAs(offered.get(0));
        assertThat(queue.remove(offered.get(1))).isTrue();
        assertThat(queue.remove(offered.get(1))).as("already out").isFalse();
        assertThat(queue.poll()).isSameAs(offered.get(2));
        assertThat(queue.offer(task())).as("2 waiting, capacity 2").isFalse();
        List<Runnable> drained = new ArrayList<>();
        assertThat(queue.drainTo(drained, 1)).isEqualTo(1);
        assertThat(drained).containsExactly(offered.get(3));
        assertThat(queue.offer(task())).as("1 waiting, capacity 2").isTrue();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.remainingCapacity()).isZero();
    }

    @Test
    void aRaiseTakesMoreTasksAtOnce() {
        ResizableTaskQueue queue = new ResizableTaskQueue(1);
        assertThat(queue.offer(task())).isTrue();
        assertThat(queue.offer(task())).isFalse();

        queue.capacity(3);

        assertThat(queue.offer(task())).isTrue();
        assertThat(queue.offer(task())).isTrue();
        assertThat(queue.offer(task())).isFalse();
        assertThat(queue.size()).isEqualTo(3);
    }

    @Test
    void aCapacityOfZeroHandsTasksToAWaitingTakerOnly() throws Exception {
        ResizableTaskQueue queue = new ResizableTaskQueue(0);
        assertThat(queue.offer(task())).as("nobody waiting").isFalse();
        assertThat(queue.isEmpty()).isTrue();

        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch taking = new CountDownLatch(1);
            Future<Runnable> taken = taker.submit(() -> {
                taking.countDown();
                return queue.take();
            });
            assertThat(taking.await(10, TimeUnit.SECONDS)).isTrue();
            Runnable task = task();
            // The taker may not be waiting yet the moment it has counted down: offer until it is.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean handedOver = false;
            while (!handedOver && System.nanoTime() < deadline) {
                handedOver = queue.offer(task);
                Thread.onSpinWait();
            }
            assertThat(handedOver).isTrue();
            assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(task);
            assertThat(queue.size()).isZero();
            assertThat(queue.remainingCapacity()).isZero();
        } finally {
            taker.shutdownNow();
        }
    }

    @Test
    void theIteratorRemovesATaskOnlyOnce() {
        ResizableTaskQueue queue = new ResizableTaskQueue(2);
        Runnable first = task();
        queue.offer(first);
        queue.offer(task());
        var iterator = queue.iterator();
        assertThat(iterator.next()).isSameAs(first);
        iterator.remove();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.offer(task())).isTrue();
        assertThat(queue.offer(task())).isFalse();
    }
}
