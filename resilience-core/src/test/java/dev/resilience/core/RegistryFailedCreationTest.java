package dev.resilience.core;

import dev.resilience.core.RegistryTest.Probe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A creation whose factory throws (or returns null) takes no place in the registry's bound. */
class RegistryFailedCreationTest {

    /** Instances whose name starts with "bad" cannot be built (their config is invalid, say). */
    private static Registry<Probe, String> registry(int maxInstances) {
        return Registry.<Probe, String>builder("probe", (name, config) -> {
            if (name.startsWith("bad")) {
                throw new IllegalArgumentException("cannot build " + name);
            }
            if (name.startsWith("null")) {
                return null;
            }
            return new Probe(name, config);
        }, "default").maxInstances(maxInstances).build();
    }

    @Test
    void twoFailedCreationsLeaveARegistryOfTwoRoomForTwoInstances() {
        Registry<Probe, String> registry = registry(2);

        assertThatThrownBy(() -> registry.get("bad-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.get("bad-2")).isInstanceOf(IllegalArgumentException.class);

        assertThat(registry.get("a").name()).isEqualTo("a");
        assertThat(registry.get("b").name()).isEqualTo("b");
        assertThat(registry.size()).isEqualTo(2);
        assertThatThrownBy(() -> registry.get("c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maximum of 2");
    }

    @Test
    void aFactoryReturningNullFailsTheCreationAndTakesNoPlace() {
        Registry<Probe, String> registry = registry(1);

        assertThatThrownBy(() -> registry.get("null-1")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null-1");
        assertThat(registry.find("null-1")).isEmpty();

        assertThat(registry.get("a").name()).isEqualTo("a");
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void manyThreadsRacingFailedAndSuccessfulCreationsFillTheBoundExactly() throws Exception {
        int threads = 16;
        int good = 40;
        int rounds = 20;
        // Room for every good instance plus one creation in flight per thread: a creation holds its place while its
        // factory runs, so no call may be refused for size unless failed creations leak their places.
        Registry<Probe, String> registry = registry(good + threads);
        AtomicInteger refusedForSize = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < good; i++) {
                            int n = (i + offset * 7) % good;
                            try {
                                registry.get("bad-" + n + "-" + r);
                            } catch (IllegalArgumentException expected) {
                                // the factory failed: nothing may be left behind
                            } catch (IllegalStateException full) {
                                refusedForSize.incrementAndGet();
                            }
                            try {
                                registry.get("good-" + n);
                            } catch (IllegalStateException full) {
                                refusedForSize.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(worker.isAlive()).isFalse();
        }

        assertThat(unexpected).isEmpty();
        assertThat(refusedForSize).hasValue(0);
        assertThat(registry.size()).isEqualTo(good);
        for (int i = 0; i < threads; i++) {
            assertThat(registry.get("late-" + i).name()).isEqualTo("late-" + i);
        }
        assertThatThrownBy(() -> registry.get("one-too-many")).isInstanceOf(IllegalStateException.class);
        registry.remove("good-0");
        assertThat(registry.get("one-more").name()).isEqualTo("one-more");
        assertThatThrownBy(() -> registry.get("one-too-many")).isInstanceOf(IllegalStateException.class);
    }
}
