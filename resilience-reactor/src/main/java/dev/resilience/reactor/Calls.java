package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.deadline.Deadline;
import reactor.util.context.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** What the Mono and Flux subscriptions share: starting the chain within a deadline, and each attempt's context. */
final class Calls {

    private Calls() {
    }

    /** @return the earlier of two deadlines, either of which may be {@code null} */
    static Deadline earlier(Deadline a, Deadline b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /**
     * @param context the subscriber's context
     * @return the deadline a subscription runs within: the earlier of its context's and the subscribing thread's
     */
    static Deadline deadlineOf(Context context) {
        return earlier(ReactorResilience.deadline(context), Deadline.currentOrNull());
    }

    /**
     * Runs the chain once for a subscription, on the subscribing thread, with {@code deadline} as the thread's
     * deadline, so that the policies (a timeout, a retry) see it and capture it for the attempts they start later.
     *
     * @return the subscription's outcome; never {@code null}, a thrown exception comes back as a failed stage
     */
    static CompletionStage<?> invoke(AsyncInvoker chain, Supplier<? extends CompletionStage<?>> attempts, Deadline deadline) {
        Deadline previous = Deadline.currentOrNull();
        if (deadline != previous) {
            Deadline.replace(deadline);
        }
        try {
            CompletionStage<?> outcome = chain.invoke(attempts);
            return outcome != null ? outcome
                    : CompletableFuture.failedFuture(new NullPointerException("the asynchronous chain returned null"));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        } finally {
            if (deadline != previous) {
                Deadline.replace(previous);
            }
        }
    }

    /**
     * The context an attempt subscribes to the source with: the subscriber's, carrying the deadline the attempt runs
     * within. That is the thread's (installed by {@link #invoke}, a timeout or a retry) or, where the attempt was
     * started on a timer thread that has none, the subscription's; the earlier of the two.
     */
    static Context attemptContext(Context context, Deadline subscriptionDeadline) {
        Deadline deadline = earlier(Deadline.currentOrNull(), subscriptionDeadline);
        if (deadline == null || ReactorResilience.deadline(context) == deadline) {
            return context;
        }
        return context.put(ReactorResilience.DEADLINE_KEY, deadline);
    }

    /** Cancels a stage, where it can be cancelled. */
    static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be converted cannot be cancelled: the current attempt is cancelled directly
        }
    }
}
