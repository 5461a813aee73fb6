package dev.resilience.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One link of a composed asynchronous call. Never blocks; failures, including rejections, complete the
 * returned stage exceptionally rather than being thrown.
 */
@FunctionalInterface
public interface AsyncInvoker {

    /** The innermost link: obtains the stage from the call, turning a thrown exception or null into a failed stage. */
    AsyncInvoker DIRECT = call -> {
        try {
            CompletionStage<?> stage = call.get();
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
            }
            return stage;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    };

    /**
     * @param call supplies the user's stage (once per attempt)
     * @return the outcome
     */
    CompletionStage<?> invoke(Supplier<? extends CompletionStage<?>> call);
}
