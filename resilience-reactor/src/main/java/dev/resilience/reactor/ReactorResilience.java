package dev.resilience.reactor;

import dev.resilience.Policy;
import dev.resilience.Resilience;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.deadline.Deadline;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Protects {@link Mono}s and {@link Flux}es with resilience policies, per subscription:
 *
 * <pre>{@code
 * ReactorResilience protect = ReactorResilience.of(retry, breaker, rateLimiter, timeout, bulkhead);  // once
 *
 * Mono<Stock> stock = client.fetch(sku).transform(protect::mono);
 * Flux<Price> prices = client.prices(sku).transform(protect::flux);
 * }</pre>
 *
 * <p>The policies compose exactly as {@link Resilience#compose(Policy...)}: the first is the outermost, so the
 * example retries each failed subscription, the breaker records each attempt, and so on. Nothing happens when the
 * operator is applied (at assembly): each <em>subscription</em> runs once through the policies, as one call of
 * {@link Policy#callAsync}, and re-subscribing (a {@code retry()}, a second {@code subscribe()}) is another call.
 * No thread blocks: permits, backoffs, rate-limit waits and timeouts wait on the policies' {@link Clock} timers.
 *
 * <ul>
 *   <li><b>Outcomes.</b> A {@code Mono} succeeds with its value (on its first {@code onNext}) or when it completes
 *   empty (its result is then {@code null}, as for a {@code void} call); a {@code Flux} succeeds when it completes
 *   (its result is {@code null}) and fails on an error, mid-stream too: one error is one failure. The breaker's
 *   record and ignore settings and result predicates, and the retry's, apply as for any other call. Slow calls
 *   are timed from the subscription to the terminal signal.</li>
 *   <li><b>Rejections</b> ({@code CallNotPermittedException}, {@code BulkheadFullException},
 *   {@code RequestNotPermittedException}, {@code TimeoutExceededException}) arrive as {@code onError} signals, never
 *   thrown at assembly or subscription.</li>
 *   <li><b>Retry</b> re-subscribes to the source after the backoff. A {@code Flux} then starts again from its
 *   beginning: elements emitted before the failure are emitted again, as with Reactor's own {@code retry()}.
 *   Demand carries over from one attempt to the next.</li>
 *   <li><b>Timeout</b> bounds the whole subscription, from subscribing to the terminal signal (for a {@code Flux},
 *   not each element), ends it with {@code TimeoutExceededException} and, when the timeout's
 *   {@code cancelRunningFuture} is set (the default), cancels the source.</li>
 *   <li><b>Cancellation.</b> Cancelling the subscription cancels the source, gives back the bulkhead permit (a
 *   subscription still waiting for one leaves the queue), stops a pending backoff or rate-limit wait, and counts
 *   for a circuit breaker as an ignored outcome: neither success nor failure (a half-open trial permit is given
 *   back). Note that {@code take(n)} or {@code next()} downstream of a protected {@code Flux} ends it by
 *   cancellation.</li>
 *   <li><b>Threads.</b> The first attempt subscribes to the source on the subscribing thread. An attempt that
 *   follows a backoff subscribes on the retry's executor ({@code RetryConfig.Builder.asyncExecutor}, by default the
 *   engine's shared continuation threads); one that follows a rate-limit wait, on the clock's timer thread (as the
 *   core's asynchronous calls do): a source that does blocking work when subscribed belongs on
 *   {@code subscribeOn(Schedulers.boundedElastic())}, inside the protected part.</li>
 * </ul>
 *
 * <p><b>Deadlines</b> flow through the Reactor {@link Context} under {@link #DEADLINE_KEY}. A subscription runs its
 * policies within the earlier of the context's deadline and the subscribing thread's {@link Deadline}; an inner
 * {@code Timeout} waits at most the time left, and a {@code Retry} starts no attempt past it. The source is
 * subscribed with the deadline its attempt runs within (a {@code Timeout}'s, or the caller's) in its context, so a
 * protected {@code Mono} nested anywhere inside it, on any thread, sees it. {@link #withDeadline(Duration)} sets
 * one from outside.
 *
 * <p>Immutable and thread-safe: build one per set of policies and use it for any number of publishers and
 * subscriptions. A subscription allocates one object for itself (the call and the subscriber's subscription in one),
 * one per attempt (its subscription to the source, which is also the stage the policies see), and what the policies'
 * asynchronous paths allocate; signals allocate nothing.
 */
public final class ReactorResilience {

    /**
     * The Reactor {@link Context} key under which the current {@link Deadline} travels (its value is a
     * {@code Deadline}). Read it with {@link #deadline(ContextView)}; set it with {@link #withDeadline(Deadline)}.
     */
    public static final String DEADLINE_KEY = "dev.resilience.deadline";

    private static final ReactorResilience DIRECT = new ReactorResilience(AsyncInvoker.DIRECT);

    private final AsyncInvoker chain;
    private final UnaryOperator<Publisher<Object>> operator;

    private ReactorResilience(AsyncInvoker chain) {
        this.chain = chain;
        this.operator = this::publisher;
    }

    /**
     * @param outermostFirst the policies, outermost first (as {@link Resilience#compose(Policy...)}); may be empty,
     *     then subscriptions pass straight through
     * @return the operators, immutable and thread-safe
     */
    public static ReactorResilience of(Policy... outermostFirst) {
        return of(Resilience.compose(outermostFirst));
    }

    /**
     * @param outermostFirst the policies, outermost first
     * @return the operators, immutable and thread-safe
     */
    public static ReactorResilience of(List<? extends Policy> outermostFirst) {
        return of(Resilience.compose(outermostFirst));
    }

    /**
     * @param composition policies already composed
     * @return the operators over the composition's asynchronous chain (no chain is built again)
     */
    public static ReactorResilience of(Resilience.Composition composition) {
        Objects.requireNonNull(composition, "composition");
        return composition.policies().isEmpty() ? DIRECT : new ReactorResilience(composition.asyncInvoker());
    }

    /**
     * For integrations that link their own asynchronous chain (the Spring starter, with its fallbacks): each
     * subscription is one {@link AsyncInvoker#invoke} of {@code chain}, and each attempt it makes subscribes to the
     * source once.
     *
     * @param chain a linked asynchronous chain, e.g. {@code policy.decorateAsync(AsyncInvoker.DIRECT)}
     * @return the operators over {@code chain}
     */
    public static ReactorResilience of(AsyncInvoker chain) {
        return new ReactorResilience(Objects.requireNonNull(chain, "chain"));
    }

    /**
     * Protects a {@code Mono}: use as {@code mono.transform(protect::mono)}. Nothing runs until it is subscribed.
     *
     * @param source the publisher to protect
     * @param <T> its value type
     * @return a {@code Mono} running each subscription through the policies
     */
    public <T> Mono<T> mono(Mono<T> source) {
        return MonoResilience.create(Objects.requireNonNull(source, "source"), chain);
    }

    /**
     * Protects a {@code Flux} (or any other publisher of many): use as {@code flux.transform(protect::flux)}.
     *
     * @param source the publisher to protect
     * @param <T> its element type
     * @return a {@code Flux} running each subscription through the policies
     */
    public <T> Flux<T> flux(Publisher<T> source) {
        return FluxResilience.create(Flux.from(Objects.requireNonNull(source, "source")), chain);
    }

    /**
     * @param source a {@code Mono} (protected as by {@link #mono}) or any other publisher (as by {@link #flux})
     * @param <T> the element type
     * @return the protected publisher, a {@code Mono} if {@code source} is one
     */
    public <T> Publisher<T> publisher(Publisher<T> source) {
        return source instanceof Mono<T> mono ? mono(mono) : flux(source);
    }

    /**
     * The operators as one function, for {@code transform}/{@code transformDeferred} on a publisher of any type:
     * {@code mono.transformDeferred(protect.operator())}. The same function every time.
     *
     * @param <T> the element type
     * @return {@link #publisher(Publisher)} as a function
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> Function<Publisher<T>, Publisher<T>> operator() {
        return (Function) operator;
    }

    /**
     * @param context a subscriber's context
     * @return the deadline in it under {@link #DEADLINE_KEY}, or {@code null}
     */
    public static Deadline deadline(ContextView context) {
        Object value = context.getOrDefault(DEADLINE_KEY, null);
        return value instanceof Deadline deadline ? deadline : null;
    }

    /**
     * For {@code contextWrite}: runs the subscriptions above it within {@code deadline}, or within the deadline they
     * already have if that is earlier (a nested scope never extends a deadline).
     *
     * @param deadline the deadline
     * @return a context transformation for {@code Mono.contextWrite}/{@code Flux.contextWrite}
     */
    public static Function<Context, Context> withDeadline(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        return context -> {
            Deadline outer = deadline(context);
            return outer != null && !deadline.isBefore(outer) ? context : context.put(DEADLINE_KEY, deadline);
        };
    }

    /**
     * For {@code contextWrite}: runs the subscriptions above it within {@code timeout} of subscribing (on the system
     * clock), or within the deadline they already have if that is earlier.
     *
     * @param timeout how long each subscription may take
     * @return a context transformation; the deadline is computed at each subscription, not here
     */
    public static Function<Context, Context> withDeadline(Duration timeout) {
        return withDeadline(timeout, Clock.system());
    }

    /**
     * Same as {@link #withDeadline(Duration)} on the given clock.
     *
     * @param timeout how long each subscription may take
     * @param clock the time source the deadline is measured on
     * @return a context transformation; the deadline is computed at each subscription, not here
     */
    public static Function<Context, Context> withDeadline(Duration timeout, Clock clock) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        return context -> withDeadline(Deadline.after(timeout, clock)).apply(context);
    }

    @Override
    public String toString() {
        return "ReactorResilience[" + chain + "]";
    }
}
