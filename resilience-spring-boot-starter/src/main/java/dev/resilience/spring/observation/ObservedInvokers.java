package dev.resilience.spring.observation;

import dev.resilience.Policy;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.spring.interceptor.MethodObservationSupport;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Observes annotated methods with Micrometer's Observation API: one {@value ResilienceObservationConvention#CALL_NAME}
 * observation per protected call, and, for a method with a retry, one {@value ResilienceObservationConvention#ATTEMPT_NAME}
 * child observation per attempt. The parent is handed over explicitly, not found in a thread-local, so an attempt run on
 * a thread-pool bulkhead's thread, a timeout's worker, after a backoff on the retry's executor or as a reactive
 * re-subscription is still the child of its call; while an attempt runs, its observation is the current one on its
 * thread (so the method's own observations, an HTTP client's say, become its children).
 *
 * <p>Each call costs what its observations cost (a few objects each, and the handlers); a method is only wrapped when
 * the application has an {@link ObservationRegistry}, so without one nothing here exists on the call path.
 *
 * <p>Thread-safe.
 */
public final class ObservedInvokers implements MethodObservationSupport {

    private final ObservationRegistry registry;
    private final ResilienceObservationConvention callConvention;
    private final ResilienceObservationConvention attemptConvention;

    /**
     * @param registry where observations are made
     */
    public ObservedInvokers(ObservationRegistry registry) {
        this(registry, ResilienceObservationConvention.CALL, ResilienceObservationConvention.ATTEMPT);
    }

    /**
     * @param registry where observations are made
     * @param callConvention names and keys of call observations
     * @param attemptConvention names and keys of attempt observations
     */
    public ObservedInvokers(ObservationRegistry registry, ResilienceObservationConvention callConvention,
                            ResilienceObservationConvention attemptConvention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.callConvention = Objects.requireNonNull(callConvention, "callConvention");
        this.attemptConvention = Objects.requireNonNull(attemptConvention, "attemptConvention");
    }

    @Override
    public Invoker observe(Invoker chain, ObservedMethod method) {
        Description description = describe(method);
        return (call, runner) -> {
            Observation observation = description.call();
            Throwable failure = null;
            try (Observation.Scope scope = observation.openScope()) {
                return chain.invoke(call, description.retried ? new SyncAttempts(runner, observation, description) : runner);
            } catch (Throwable t) {
                failure = t;
                observation.error(t);
                throw t;
            } finally {
                end(observation, failure);
            }
        };
    }

    @Override
    public AsyncInvoker observeAsync(AsyncInvoker chain, ObservedMethod method) {
        Description description = describe(method);
        return call -> {
            Observation observation = description.call();
            Supplier<? extends CompletionStage<?>> attempts = description.retried
                    ? new AsyncAttempts(call, observation, description) : call;
            CompletionStage<?> stage;
            try (Observation.Scope scope = observation.openScope()) {
                stage = chain.invoke(attempts);
            } catch (RuntimeException | Error t) {
                observation.error(t);
                end(observation, t);
                throw t;
            }
            // The caller gets the chain's own stage (cancelling it still reaches the policies); the observation ends
            // beside it.
            stage.whenComplete((value, error) -> endAsync(observation, error));
            return stage;
        };
    }

    private static void endAsync(Observation observation, Throwable error) {
        if (error != null) {
            observation.error(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        }
        end(observation, error);
    }

    private static void end(Observation observation, Throwable failure) {
        if (observation.getContext() instanceof ResilienceObservationContext context) {
            context.ended(failure);
        }
        observation.stop();
    }

    private Description describe(ObservedMethod method) {
        Set<String> kinds = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Policy policy : method.policies()) {
            kinds.add(policy.kind());
            names.add(policy.name());
        }
        String methodName = method.targetClass().getSimpleName() + "." + method.method().getName();
        return new Description(String.join(",", kinds), String.join(",", names), methodName,
                method.retry() == null ? null : method.retry().name());
    }

    /** What the observations of one method's calls say, computed once. */
    private final class Description {

        final String kind;
        final String name;
        final String method;
        final String retryName;
        final boolean retried;

        Description(String kind, String name, String method, String retryName) {
            this.kind = kind;
            this.name = name;
            this.method = method;
            this.retryName = retryName;
            this.retried = retryName != null;
        }

        Observation call() {
            return Observation.createNotStarted(null, callConvention,
                    () -> new ResilienceObservationContext(kind, name, method, 0), registry).start();
        }

        Observation attempt(Observation parent, int number) {
            return Observation.createNotStarted(null, attemptConvention,
                            () -> new ResilienceObservationContext("retry", retryName, method, number), registry)
                    .parentObservation(parent).start();
        }
    }

    /** Runs each synchronous attempt of one call inside its own observation. */
    private static final class SyncAttempts implements Invoker.Runner {

        private final Invoker.Runner runner;
        private final Observation parent;
        private final Description description;
        private final AtomicInteger attempts = new AtomicInteger();

        SyncAttempts(Invoker.Runner runner, Observation parent, Description description) {
            this.runner = runner;
            this.parent = parent;
            this.description = description;
        }

        @Override
        public Object run(Object call) throws Throwable {
            Observation attempt = description.attempt(parent, attempts.incrementAndGet());
            Throwable failure = null;
            try (Observation.Scope scope = attempt.openScope()) {
                return runner.run(call);
            } catch (Throwable t) {
                failure = t;
                attempt.error(t);
                throw t;
            } finally {
                end(attempt, failure);
            }
        }
    }

    /** Supplies each asynchronous attempt of one call (a stage, or a reactive subscription) inside its own observation. */
    private static final class AsyncAttempts implements Supplier<CompletionStage<?>> {

        private final Supplier<? extends CompletionStage<?>> call;
        private final Observation parent;
        private final Description description;
        private final AtomicInteger attempts = new AtomicInteger();

        AsyncAttempts(Supplier<? extends CompletionStage<?>> call, Observation parent, Description description) {
            this.call = call;
            this.parent = parent;
            this.description = description;
        }

        @Override
        public CompletionStage<?> get() {
            Observation attempt = description.attempt(parent, attempts.incrementAndGet());
            CompletionStage<?> stage;
            try (Observation.Scope scope = attempt.openScope()) {
                stage = call.get();
            } catch (RuntimeException | Error t) {
                attempt.error(t);
                end(attempt, t);
                throw t;
            }
            if (stage == null) {
                // The chain's innermost link turns this into a failed stage.
                NullPointerException missing = new NullPointerException("the asynchronous call returned null instead of a CompletionStage");
                attempt.error(missing);
                end(attempt, missing);
                return null;
            }
            stage.whenComplete((value, error) -> endAsync(attempt, error));
            return stage;
        }
    }
}
