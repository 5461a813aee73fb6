package dev.resilience.core;

import dev.resilience.Policy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {

    /** A minimal policy carrying the config it was built with. */
    record Probe(String name, String config) implements Policy {
        @Override
        public String kind() {
            return "probe";
        }

        @Override
        public Events<? extends ResilienceEvent> events() {
            return new EventPublisher<>();
        }

        @Override
        public <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) throws X {
            return call.get();
        }

        @Override
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
            return call.get();
        }

        @Override
        public Invoker decorate(Invoker next) {
            return next;
        }

        @Override
        public AsyncInvoker decorateAsync(AsyncInvoker next) {
            return next;
        }
    }

    private final AtomicInteger created = new AtomicInteger();

    private Registry.Builder<Probe, String> builder() {
        return Registry.builder("probe", (name, config) -> {
            created.incrementAndGet();
            return new Probe(name, config);
        }, "built-in");
    }

    @Test
    void createsAnUnknownInstanceWithTheDefaultConfig() {
        Registry<Probe, String> registry = builder().build();
        assertThat(registry.get("a").config()).isEqualTo("built-in");
    }

    @Test
    void createsAConfiguredInstanceWithItsOwnConfig() {
        Registry<Probe, String> registry = builder().instanceConfig("a", "own").build();
        assertThat(registry.get("a").config()).isEqualTo("own");
        assertThat(registry.get("b").config()).isEqualTo("built-in");
    }

    @Test
    void aDefaultSharedConfigReplacesTheBuiltInOne() {
        Registry<Probe, String> registry = builder().config("default", "shared-default").build();
        assertThat(registry.get("a").config()).isEqualTo("shared-default");
    }

    @Test
    void returnsTheSameInstanceForTheSameName() {
        Registry<Probe, String> registry = builder().build();
        assertThat(registry.get("a")).isSameAs(registry.get("a"));
        assertThat(created).hasValue(1);
    }

    @Test
    void createsFromANamedSharedConfig() {
        Registry<Probe, String> registry = builder().config("slow", "slow-config").build();
        assertThat(registry.getWithConfig("a", "slow").config()).isEqualTo("slow-config");
    }

    @Test
    void unknownNamedConfigIsRejectedWithTheKnownNames() {
        Registry<Probe, String> registry = builder().config("slow", "slow-config").build();
        assertThatThrownBy(() -> registry.getWithConfig("a", "fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fast").hasMessageContaining("slow");
    }

    @Test
    void findNeverCreates() {
        Registry<Probe, String> registry = builder().build();
        assertThat(registry.find("ghost")).isEmpty();
        assertThat(registry.size()).isZero();
        assertThat(created).hasValue(0);
    }

    @Test
    void listsInstancesSortedByName() {
        Registry<Probe, String> registry = builder().build();
        registry.get("b");
        registry.get("a");
        assertThat(registry.all()).extracting(Probe::name).containsExactly("a", "b");
    }

    @Test
    void notifiesListenersOfAddedAndRemovedInstances() {
        Registry<Probe, String> registry = builder().build();
        List<String> events = new ArrayList<>();
        registry.onAdded(p -> events.add("+" + p.name()));
        registry.onRemoved(p -> events.add("-" + p.name()));
        registry.get("a");
        registry.get("a");
        registry.remove("a");
        registry.remove("a");
        assertThat(events).containsExactly("+a", "-a");
    }

    @Test
    void closedSubscriptionHearsNothing() {
        Registry<Probe, String> registry = builder().build();
        List<String> events = new ArrayList<>();
        registry.onAdded(p -> events.add(p.name())).close();
        registry.get("a");
        assertThat(events).isEmpty();
    }

    @Test
    void refusesToGrowBeyondItsBound() {
        Registry<Probe, String> registry = builder().maxInstances(2).build();
        registry.get("a");
        registry.get("b");
        assertThatThrownBy(() -> registry.get("c"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2").hasMessageContaining("'c'");
        assertThat(registry.size()).isEqualTo(2);
        registry.remove("a");
        assertThat(registry.get("c").name()).isEqualTo("c");
    }

    @Test
    void concurrentGetsOfOneNameCreateExactlyOneInstance() throws Exception {
        Registry<Probe, String> registry = builder().build();
        int threads = 32;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch done = new CountDownLatch(threads);
        List<Probe> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            pool.execute(() -> {
                try {
                    barrier.await();
                    seen.add(registry.get("shared"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(created).hasValue(1);
        assertThat(seen).hasSize(threads).allSatisfy(p -> assertThat(p).isSameAs(seen.get(0)));
    }

    @Test
    void concurrentCreationNeverExceedsTheBound() throws Exception {
        Registry<Probe, String> registry = builder().maxInstances(10).build();
        int threads = 32;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            String name = "n" + i;
            pool.execute(() -> {
                try {
                    barrier.await();
                    registry.get(name);
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(registry.size()).isEqualTo(10);
        assertThat(refused).hasValue(22);
    }
}
