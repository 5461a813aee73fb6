package dev.resilience;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.ThrowingSupplier;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Composes policies into one call. The first policy given is the outermost:
 *
 * <pre>{@code
 * Resilience.Composition pipeline = Resilience.compose(retry, breaker, rateLimiter, timeout, bulkhead);
 * Stock stock = pipeline.call(() -> client.fetch(sku));
 * }</pre>
 *
 * runs {@code retry(breaker(rateLimiter(timeout(bulkhead(fetch)))))}: each retry attempt passes the
 * breaker, the breaker records each attempt, and so on. This is the order the Spring annotations use by
 * default. Any order is allowed; the chain is linked once here, so a call through a composition allocates
 * nothing per policy.
 */
public final class Resilience {

    private Resilience() {
    }

    /**
     * @param outermostFirst the policies, outermost first; may be empty (then calls run directly)
     * @return the composition, immutable and thread-safe
     */
    public static Composition compose(Policy... outermostFirst) {
        return new Composition(List.of(outermostFirst));
    }

    /**
     * @param outermostFirst the policies, outermost first
     * @return the composition, immutable and thread-safe
     */
    public static Composition compose(List<? extends Policy> outermostFirst) {
        return new Composition(List.copyOf(outermostFirst));
    }

    /** Policies linked into one call, outermost first. Thread-safe. */
    public static final class Composition {

        private final List<Policy> policies;
        private final Invoker invoker;
        private final AsyncInvoker asyncInvoker;

        private Composition(List<Policy> policies) {
            this.policies = policies;
            Invoker sync = Invoker.DIRECT;
            AsyncInvoker async = AsyncInvoker.DIRECT;
            for (int i = policies.size() - 1; i >= 0; i--) {
                sync = policies.get(i).decorate(sync);
                async = policies.get(i).decorateAsync(async);
            }
            this.invoker = sync;
            this.asyncInvoker = async;
        }

        /**
         * Runs a call through every policy. Checked exceptions thrown by the call pass through unchanged.
         *
         * @param call the work
         * @param <T> result type
         * @param <X> what the work may throw
         * @return the result
         * @throws X what the work throws
         */
        public <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) throws X {
            return PolicySupport.invoke(invoker, call);
        }

        /**
         * Runs an asynchronous call through every policy without blocking.
         *
         * @param call supplies the stage (once per attempt)
         * @param <T> result type
         * @return the outcome
         */
        @SuppressWarnings("unchecked")
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
            return (CompletionStage<T>) asyncInvoker.invoke(call);
        }

        /** @return the linked synchronous chain, for integrations that drive it directly */
        public Invoker invoker() {
            return invoker;
        }

        /** @return the linked asynchronous chain */
        public AsyncInvoker asyncInvoker() {
            return asyncInvoker;
        }

        /** @return the policies, outermost first */
        public List<Policy> policies() {
            return policies;
        }
    }
}
