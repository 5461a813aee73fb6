package dev.resilience.keyed;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.EventListener;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.Subscription;
import dev.resilience.core.ThrowingSupplier;
import dev.resilience.core.internal.Validate;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.ratelimiter.internal.StoreBackedRateLimiter;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.spi.RateLimiterStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * One rate limiter or bulkhead per key (a tenant, a user, an API key): each distinct key gets its own policy, built
 * on demand from one instance's config, on the instance's clock.
 *
 * <pre>{@code
 * KeyedPolicy<RateLimiter> perTenant = KeyedPolicy.rateLimiter("api", RateLimiterConfig.builder()
 *         .limitForPeriod(100).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO)
 *         .maxKeys(50_000).keyIdleExpiry(Duration.ofMinutes(10))
 *         .build());
 * Quote quote = perTenant.call(tenantId, () -> partner.quote(order));   // tenant A's burst never slows tenant B
 * }</pre>
 *
 * <p><b>Bounded.</b> It holds at most {@code maxKeys} keys (the config's {@code maxKeys}, default 10,000):
 * <ul>
 *   <li>A key unused for {@code keyIdleExpiry} (default 10 min, timed on the clock) is dropped by a sweep that runs on
 *   the clock's timer while keys are held, within a quarter of the expiry after it expired.</li>
 *   <li>A new key that finds the bound reached first drops the expired keys, else the least recently used key that
 *   may be dropped (see below). This costs one pass over the keys held, only for a new key at the bound.</li>
 *   <li><b>A key is never dropped while that could let it exceed its limit.</b> A key with a call in flight (running,
 *   waiting for a permit, or asynchronous and not yet complete) is never dropped, nor a bulkhead with a permit taken
 *   (a call whose caller cancelled its stage keeps its permit until its work completes), so a bulkhead's permits in
 *   use are never forgotten; a rate limiter's key is kept, in addition, until one {@code limitRefreshPeriod} has passed since
 *   its last call ended, so that the period in which it admitted calls is over before a fresh limiter could admit
 *   again. A key that comes back after being dropped starts afresh: a full period, all permits free.</li>
 *   <li>When every key held is in that state and the bound is reached, a call with a new key is <b>rejected</b>
 *   without running, with the kind's own rejection ({@link RequestNotPermittedException},
 *   {@link BulkheadFullException}) saying that the instance holds its maximum of keys, all in use. Keys already held
 *   are unaffected. Raise {@code maxKeys} if this happens under normal load.</li>
 * </ul>
 *
 * <p><b>Across instances.</b> {@link #rateLimiter(String, RateLimiterConfig, Clock, RateLimiterStore)} gives each key a
 * limiter whose permits a shared {@link RateLimiterStore} counts (e.g. Redis) under {@code <name>:<key>}, so that every
 * instance of a service shares each key's limit. The bound above is this instance's; the store keeps (and expires)
 * its own counts. {@link #storeErrors()} sums the store's failures over the keys (dropped keys included, so it never
 * goes down) and {@link #storeUnavailableKeys()} counts the keys held now that find the store unavailable.
 *
 * <p><b>Costs.</b> A call with a key already held costs a map lookup (the key's {@code hashCode} and {@code equals}),
 * two atomic updates and one coarse clock read on top of the key's own policy; allocation-free for a synchronous
 * call. A new key costs the creation of its policy. Keys are compared with {@code equals}: use immutable values.
 *
 * <p><b>One instance.</b> The keys' policies carry the instance's name (rejections and events name the instance, never
 * the key, which may be personal data). {@link #metrics()} sums over the keys (and over those dropped, so its
 * counters never go down); {@link #events()} delivers the events of every key.
 *
 * <p>Thread-safe. The map is the only shared state; eviction takes a key out with one compare-and-set that fails if a
 * call entered it meanwhile, so a key is never held by two live policies.
 *
 * @param <P> the policy kind of each key: {@link RateLimiter} or {@link Bulkhead}
 */
public final class KeyedPolicy<P extends Policy> {

    /** The default bound on keys: {@value}. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    /** The default time after which an unused key is dropped: 10 minutes. */
    public static final Duration DEFAULT_KEY_IDLE_EXPIRY = Duration.ofMinutes(10);

    /** An entry's state once dropped: no call may enter it again. */
    private static final long RETIRED = -1L;
    /** Added to an entry's state by each call that enters: one more call in flight (low half), one more use (high half). */
    private static final long ENTER = (1L << 32) + 1;

    private final String name;
    private final String kind;
    private final int maxKeys;
    private final long idleNanos;
    private final Clock clock;
    /** Creates the policy of a new key, given the key. */
    private final Function<Object, ? extends P> perKey;
    private final ToLongFunction<? super P> quietNanos;
    private final ToLongFunction<? super P> permitted;
    private final ToLongFunction<? super P> rejected;
    private final ToIntFunction<? super P> waiting;
    private final Predicate<? super P> holdsPermits;
    private final ToLongFunction<? super P> storeErrors;
    private final Predicate<? super P> storeUnavailable;
    private final java.util.function.Function<String, RuntimeException> fullRejection;

    private final ConcurrentHashMap<Object, Entry<P>> entries = new ConcurrentHashMap<>();
    /** Keys held or being created: never above maxKeys, never below the map's size. */
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final LongAdder retiredPermitted = new LongAdder();
    private final LongAdder retiredRejected = new LongAdder();
    private final LongAdder retiredStoreErrors = new LongAdder();
    private final LongAdder refusedNewKeys = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final AtomicLong reportedPermitted = new AtomicLong();
    private final AtomicLong reportedRejected = new AtomicLong();
    private final AtomicLong reportedStoreErrors = new AtomicLong();
    private final EventPublisher<ResilienceEvent> publisher = new EventPublisher<>();
    private final EventListener<ResilienceEvent> forwarder = publisher::publish;
    private final Events<ResilienceEvent> events = this::subscribe;
    private volatile boolean forwarding;

    private KeyedPolicy(String name, String kind, int maxKeys, Duration keyIdleExpiry, Clock clock,
                        Function<Object, ? extends P> perKey, ToLongFunction<? super P> quietNanos,
                        ToLongFunction<? super P> permitted, ToLongFunction<? super P> rejected,
                        ToIntFunction<? super P> waiting, Predicate<? super P> holdsPermits,
                        ToLongFunction<? super P> storeErrors, Predicate<? super P> storeUnavailable,
                        java.util.function.Function<String, RuntimeException> fullRejection) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.maxKeys = validateMaxKeys(maxKeys);
        this.idleNanos = validateKeyIdleExpiry(keyIdleExpiry).toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.perKey = Objects.requireNonNull(perKey, "perKey");
        this.quietNanos = quietNanos;
        this.permitted = permitted;
        this.rejected = rejected;
        this.waiting = waiting;
        this.holdsPermits = holdsPermits;
        this.storeErrors = storeErrors;
        this.storeUnavailable = storeUnavailable;
        this.fullRejection = fullRejection;
    }

    /**
     * @param name instance name
     * @param config each key's settings, and the bound ({@link RateLimiterConfig#maxKeys()},
     *     {@link RateLimiterConfig#keyIdleExpiry()})
     * @return a rate limiter per key, on the system clock
     */
    public static KeyedPolicy<RateLimiter> rateLimiter(String name, RateLimiterConfig config) {
        return rateLimiter(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config each key's settings, and the bound
     * @param clock times periods, waits and the keys' idle expiry
     * @return a rate limiter per key
     */
    public static KeyedPolicy<RateLimiter> rateLimiter(String name, RateLimiterConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        return rateLimiter(name, config, clock, () -> RateLimiter.of(name, config, clock));
    }

    /**
     * @param name instance name
     * @param config the bound ({@link RateLimiterConfig#maxKeys()}, {@link RateLimiterConfig#keyIdleExpiry()})
     * @param clock times the keys' idle expiry; should be the one {@code perKey}'s limiters use
     * @param perKey creates the limiter of a new key (named {@code name}, with {@code config}'s settings as a rule;
     *     an integration passes its own factory, e.g. to carry a caller's context)
     * @return a rate limiter per key
     */
    public static KeyedPolicy<RateLimiter> rateLimiter(String name, RateLimiterConfig config, Clock clock,
                                                       Supplier<? extends RateLimiter> perKey) {
        Objects.requireNonNull(perKey, "perKey");
        return rateLimiter(name, config, clock, (Function<Object, RateLimiter>) key -> perKey.get());
    }

    /**
     * A rate limiter per key whose limits are shared by every instance of a service: each key's limiter counts its
     * permits in {@code store} under a store key of its own, {@code <name>:<key>} (the key's string form), so that
     * every instance using the same store, name and key shares that key's limit. Keys whose string forms are equal
     * share one limit in the store. The bound ({@code maxKeys}, {@code keyIdleExpiry}) applies to this instance's
     * keys, not to the store's: a key dropped here and used again finds the count the fleet left in the store, and
     * the store expires its keys on its own. A store failure is handled per key, as
     * {@link RateLimiter#of(String, RateLimiterConfig, Clock, RateLimiterStore)} describes for one limiter.
     *
     * @param name instance name
     * @param config each key's settings (its {@code onStoreFailure} included), and the bound
     * @param clock times waits, command timeouts and the keys' idle expiry
     * @param store the shared store; its {@link RateLimiterStore#commandTimeout()} bounds each call's wait for it
     * @return a rate limiter per key, each key's limit shared through the store
     */
    public static KeyedPolicy<RateLimiter> rateLimiter(String name, RateLimiterConfig config, Clock clock,
                                                       RateLimiterStore store) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        StoreBackedRateLimiter template = new StoreBackedRateLimiter(name, name, config, clock, store,
                store.commandTimeout(), ContinuationThreads.INSTANCE, ContextCarrier.none());
        return rateLimiter(name, config, clock, template::forKey);
    }

    /**
     * @param name instance name
     * @param config the bound ({@link RateLimiterConfig#maxKeys()}, {@link RateLimiterConfig#keyIdleExpiry()})
     * @param clock times the keys' idle expiry; should be the one {@code perKey}'s limiters use
     * @param perKey creates the limiter of a new key, given the key (named {@code name}, with {@code config}'s
     *     settings as a rule; e.g. a limiter counting that key in a shared store)
     * @return a rate limiter per key
     */
    public static KeyedPolicy<RateLimiter> rateLimiter(String name, RateLimiterConfig config, Clock clock,
                                                       Function<Object, ? extends RateLimiter> perKey) {
        // A dropped limiter's last busy period must be over before a fresh one may admit for the same key; the coarse
        // time that stamps a key's last use may lag by its resolution.
        long lag = clock.coarseResolutionNanos();
        return new KeyedPolicy<>(name, RequestNotPermittedException.KIND, config.maxKeys(), config.keyIdleExpiry(), clock, perKey,
                limiter -> saturatedAdd(limiter.config().limitRefreshPeriod().toNanos(), lag),
                limiter -> limiter.metrics().permittedCalls(), limiter -> limiter.metrics().rejectedCalls(),
                limiter -> limiter.metrics().waitingCalls(), limiter -> limiter.metrics().waitingCalls() > 0,
                KeyedPolicy::storeErrors, KeyedPolicy::storeUnavailable,
                message -> new RequestNotPermittedException(name, message, (Duration) null));
    }

    /**
     * @param name instance name
     * @param config each key's settings, and the bound ({@link BulkheadConfig#maxKeys()},
     *     {@link BulkheadConfig#keyIdleExpiry()})
     * @return a semaphore bulkhead per key, on the system clock
     */
    public static KeyedPolicy<Bulkhead> bulkhead(String name, BulkheadConfig config) {
        return bulkhead(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config each key's settings, and the bound
     * @param clock times waits and the keys' idle expiry
     * @return a semaphore bulkhead per key
     */
    public static KeyedPolicy<Bulkhead> bulkhead(String name, BulkheadConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        return bulkhead(name, config, clock, () -> Bulkhead.of(name, config, clock));
    }

    /**
     * @param name instance name
     * @param config the bound ({@link BulkheadConfig#maxKeys()}, {@link BulkheadConfig#keyIdleExpiry()})
     * @param clock times the keys' idle expiry
     * @param perKey creates the bulkhead of a new key (named {@code name}, with {@code config}'s settings as a rule)
     * @return a semaphore bulkhead per key
     */
    public static KeyedPolicy<Bulkhead> bulkhead(String name, BulkheadConfig config, Clock clock,
                                                 Supplier<? extends Bulkhead> perKey) {
        Objects.requireNonNull(perKey, "perKey");
        return new KeyedPolicy<>(name, Bulkhead.KIND, config.maxKeys(), config.keyIdleExpiry(), clock, key -> perKey.get(),
                bulkhead -> 0L, bulkhead -> bulkhead.metrics().permittedCalls(),
                bulkhead -> bulkhead.metrics().rejectedCalls(), bulkhead -> bulkhead.metrics().waitingCalls(),
                KeyedPolicy::holdsPermits, bulkhead -> 0L, bulkhead -> false,
                message -> new BulkheadFullException(name, message));
    }

    /**
     * Whether a bulkhead still has a permit taken or a caller queued: a call whose caller gave up (its stage cancelled)
     * may keep its permit until its own work completes, after this instance saw it leave.
     */
    private static boolean holdsPermits(Bulkhead bulkhead) {
        BulkheadMetrics metrics = bulkhead.metrics();
        return metrics.availableConcurrentCalls() < metrics.maxConcurrentCalls() || metrics.waitingCalls() > 0;
    }

    /** A key's store failures, without allocating for the limiters this package builds. */
    private static long storeErrors(RateLimiter limiter) {
        if (limiter instanceof StoreBackedRateLimiter shared) {
            return shared.storeErrors();
        }
        // Another implementation (a factory's own): its status, if it has a store.
        Optional<StoreStatus> status = limiter.storeStatus();
        return status.isPresent() ? status.get().errors() : 0L;
    }

    /** Whether a key's store is unavailable (its on-store-failure applies), without allocating for ours. */
    private static boolean storeUnavailable(RateLimiter limiter) {
        if (limiter instanceof StoreBackedRateLimiter shared) {
            return !shared.storeAvailable();
        }
        Optional<StoreStatus> status = limiter.storeStatus();
        return status.isPresent() && !status.get().available();
    }

    /**
     * Checks a {@code maxKeys} setting.
     *
     * @param maxKeys the bound on keys
     * @return it, if at least 1
     * @throws InvalidConfigException naming {@code maxKeys} otherwise
     */
    public static int validateMaxKeys(int maxKeys) {
        return Validate.atLeast("maxKeys", maxKeys, 1);
    }

    /**
     * Checks a {@code keyIdleExpiry} setting.
     *
     * @param keyIdleExpiry how long a key may stay unused
     * @return it, if positive and at most about 292 years
     * @throws InvalidConfigException naming {@code keyIdleExpiry} otherwise
     */
    public static Duration validateKeyIdleExpiry(Duration keyIdleExpiry) {
        String allowed = "a positive duration of at most " + Duration.ofNanos(Long.MAX_VALUE);
        if (keyIdleExpiry == null || keyIdleExpiry.isNegative() || keyIdleExpiry.isZero()) {
            throw new InvalidConfigException("keyIdleExpiry", keyIdleExpiry, allowed);
        }
        try {
            keyIdleExpiry.toNanos();
        } catch (ArithmeticException tooLong) {
            throw new InvalidConfigException("keyIdleExpiry", keyIdleExpiry, allowed);
        }
        return keyIdleExpiry;
    }

    /** @return the instance name, which every key's policy carries */
    public String name() {
        return name;
    }

    /** @return the kind of each key's policy: {@code ratelimiter} or {@code bulkhead} */
    public String kind() {
        return kind;
    }

    /** @return the bound on keys */
    public int maxKeys() {
        return maxKeys;
    }

    /** @return how long a key may stay unused before it is dropped */
    public Duration keyIdleExpiry() {
        return Duration.ofNanos(idleNanos);
    }

    /**
     * @return the number of keys held now (a key being created counts from the moment it took its place); never more
     *     than {@link #maxKeys()}
     */
    public int size() {
        // The place count, not the map's: a concurrent map's size may briefly count an insertion before a removal
        // that came first, and so read one above the bound the places keep.
        return Math.max(0, size.get());
    }

    /**
     * For an operator: the policy of one key, if it is held. Never creates one and does not count as a use. Do not run
     * calls through it: a call that bypasses this instance is invisible to eviction.
     *
     * @param key a key
     * @return its policy, if held
     */
    public Optional<P> find(Object key) {
        Entry<P> entry = key == null ? null : entries.get(key);
        return entry == null || entry.state.get() == RETIRED ? Optional.empty() : Optional.of(entry.policy);
    }

    /**
     * For an operator: the policy of the key whose string form is {@code key}, where keys are not strings (a
     * {@code Long} tenant id looked up as {@code "42"}). Exact keys are found first; otherwise one pass over the keys.
     *
     * @param key a key's string form
     * @return its policy, if held
     */
    public Optional<P> findByString(String key) {
        Optional<P> exact = find(key);
        if (exact.isPresent() || key == null) {
            return exact;
        }
        for (Entry<P> entry : entries.values()) {
            if (key.equals(String.valueOf(entry.key)) && entry.state.get() != RETIRED) {
                return Optional.of(entry.policy);
            }
        }
        return Optional.empty();
    }

    /** @return a snapshot of the keys held now, in no particular order */
    public List<Object> keys() {
        return new ArrayList<>(entries.keySet());
    }

    /** @return totals over all keys, those dropped included */
    public KeyedMetrics metrics() {
        // Dropped keys' counts first, then the live ones skipping keys dropped meanwhile: a key dropped during the
        // pass is missed rather than counted twice, and the reported totals never go down.
        long permittedTotal = retiredPermitted.sum();
        long rejectedTotal = retiredRejected.sum() + refusedNewKeys.sum();
        int waitingTotal = 0;
        for (Entry<P> entry : entries.values()) {
            if (entry.state.get() == RETIRED) {
                continue;
            }
            permittedTotal += permitted.applyAsLong(entry.policy);
            rejectedTotal += rejected.applyAsLong(entry.policy);
            waitingTotal += waiting.applyAsInt(entry.policy);
        }
        long p = reportedPermitted.accumulateAndGet(permittedTotal, Math::max);
        long r = reportedRejected.accumulateAndGet(rejectedTotal, Math::max);
        return new KeyedMetrics(size(), maxKeys, p, r, waitingTotal, evicted.sum());
    }

    /**
     * Failures (errors and command timeouts) of the shared store that the keys' rate limiters count in, summed over all
     * keys, those dropped included, so that it never goes down: what the instance's {@code store.errors} meter reads.
     * One pass over the keys held, allocation-free for the limiters built by
     * {@link #rateLimiter(String, RateLimiterConfig, Clock, RateLimiterStore)} (and by the Spring integration).
     *
     * @return store failures since creation; 0 for keys without a store (a bulkhead's, a local limiter's)
     */
    public long storeErrors() {
        // As in metrics(): dropped keys first, then the live ones, so that a key dropped meanwhile is missed rather than
        // counted twice, and the reported total never goes down.
        long total = retiredStoreErrors.sum();
        for (Entry<P> entry : entries.values()) {
            if (entry.state.get() != RETIRED) {
                total += storeErrors.applyAsLong(entry.policy);
            }
        }
        return reportedStoreErrors.accumulateAndGet(total, Math::max);
    }

    /**
     * @return how many of the keys held now find their shared store unavailable (each of them on its
     *     {@code onStoreFailure} until the store answers it again); 0 when none does, when no key is held, and for keys
     *     without a store. One pass over the keys held, allocation-free as {@link #storeErrors()}.
     */
    public int storeUnavailableKeys() {
        int unavailable = 0;
        for (Entry<P> entry : entries.values()) {
            if (entry.state.get() != RETIRED && storeUnavailable.test(entry.policy)) {
                unavailable++;
            }
        }
        return unavailable;
    }

    /**
     * @return the events of every key's policy (each names the instance); listening costs each key's policy its
     *     event objects from then on, as for a plain instance
     */
    public Events<ResilienceEvent> events() {
        return events;
    }

    /**
     * Runs a call through the policy of its key, on the calling thread.
     *
     * @param key the call's key (never {@code null})
     * @param call the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return its result
     * @throws X what the work throws
     * @throws NullKeyException if {@code key} is null
     */
    public <T, X extends Throwable> T call(Object key, ThrowingSupplier<T, X> call) throws X {
        Entry<P> entry = enter(key);
        try {
            return PolicySupport.invoke(entry.invoker(Invoker.DIRECT), call);
        } finally {
            exit(entry);
        }
    }

    /**
     * Runs an asynchronous call through the policy of its key; the key stays in use until the stage completes.
     *
     * @param key the call's key (a {@code null} key fails the stage with {@link NullKeyException})
     * @param call supplies the stage
     * @param <T> result type
     * @return the outcome
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> callAsync(Object key, Supplier<? extends CompletionStage<T>> call) {
        return (CompletionStage<T>) invokeAsync(key, AsyncInvoker.DIRECT, call);
    }

    /**
     * Links this instance into a synchronous chain: each call's key is read with {@code keys}, and the call goes
     * through that key's policy and then {@code next}. Called once when the chain is built; each key's policy links
     * itself to {@code next} once, on its first call.
     *
     * @param keys reads the key from the call object
     * @param next the inner link
     * @return the link
     */
    public Invoker decorate(KeyFunction keys, Invoker next) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            Entry<P> entry = enter(keys.key(call));
            try {
                return entry.invoker(next).invoke(call, runner);
            } finally {
                exit(entry);
            }
        };
    }

    /**
     * Links this instance into an asynchronous chain, as {@link #decorate(KeyFunction, Invoker)} does; the key stays in
     * use until the call's stage completes. Failures, a {@code null} key and a rejection included, fail the stage.
     *
     * @param keys reads the key from the call object (the supplier handed to the chain)
     * @param next the inner link
     * @return the link
     */
    public AsyncInvoker decorateAsync(KeyFunction keys, AsyncInvoker next) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(next, "next");
        return call -> {
            Object key;
            try {
                key = keys.key(call);
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            return invokeAsync(key, next, call);
        };
    }

    private CompletionStage<?> invokeAsync(Object key, AsyncInvoker next, Supplier<? extends CompletionStage<?>> call) {
        Entry<P> entry;
        try {
            entry = enter(key);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
        CompletionStage<?> stage;
        try {
            stage = entry.asyncInvoker(next).invoke(call);
        } catch (Throwable t) {
            exit(entry);
            return CompletableFuture.failedFuture(t);
        }
        if (stage == null) {
            exit(entry);
            return CompletableFuture.failedFuture(new NullPointerException("the asynchronous chain returned null"));
        }
        // The stage itself goes back (not a dependent one), so that cancelling it reaches the key's policy; the key
        // is in use until it completes, however it completes.
        stage.whenComplete((value, error) -> exit(entry));
        return stage;
    }

    /** The key's entry, entered (one more call in flight); created if the key is new. */
    private Entry<P> enter(Object key) {
        if (key == null) {
            throw new NullKeyException("The keyed " + kind + " '" + name + "' needs a key for every call, but the key was null");
        }
        for (;;) {
            Entry<P> entry = entries.get(key);
            if (entry == null) {
                entry = create(key);
                if (entry != null) {
                    return entry;
                }
                continue;
            }
            if (entry.tryEnter()) {
                return entry;
            }
            // Dropped a moment ago: make sure it is out of the map, then look again.
            entries.remove(key, entry);
        }
    }

    private void exit(Entry<P> entry) {
        // Stamped before the call leaves: whoever sees the call gone also sees when it left.
        entry.lastUsedNanos = clock.coarseNanoTime();
        entry.state.decrementAndGet();
    }

    /** @return the new key's entry, entered by the caller; {@code null} when another thread created it first */
    private Entry<P> create(Object key) {
        reserveRoom();
        Entry<P> fresh;
        try {
            P policy = Objects.requireNonNull(perKey.apply(key), "the per-key factory returned null");
            fresh = new Entry<>(key, policy, quietNanos.applyAsLong(policy), clock.nanoTime());
        } catch (RuntimeException | Error e) {
            size.decrementAndGet();
            throw e;
        }
        if (entries.putIfAbsent(key, fresh) != null) {
            size.decrementAndGet();
            return null;
        }
        if (forwarding) {
            forward(fresh);
        }
        if (!sweepScheduled.get() && sweepScheduled.compareAndSet(false, true)) {
            clock.schedule(this::sweep, idleNanos);
        }
        return fresh;
    }

    /** Takes a place for a new key, dropping others if the bound is reached; rejects the call if none may go. */
    private void reserveRoom() {
        for (;;) {
            int held = size.get();
            if (held < maxKeys) {
                if (size.compareAndSet(held, held + 1)) {
                    return;
                }
                continue;
            }
            if (!evictForRoom()) {
                refusedNewKeys.increment();
                throw fullRejection.apply("The keyed " + kind + " '" + name + "' holds its maximum of " + maxKeys
                        + " keys, all in use; a call with a new key is rejected until one of them is idle");
            }
        }
    }

    /** @return whether room was made (or someone else made it): expired keys, else the least recently used idle one */
    private boolean evictForRoom() {
        for (int pass = 0; pass < 3; pass++) {
            long now = clock.nanoTime();
            boolean dropped = false;
            Entry<P> oldest = null;
            for (Entry<P> entry : entries.values()) {
                if (!entry.evictable(now) || holdsPermits.test(entry.policy)) {
                    continue;
                }
                if (now - entry.lastUsedNanos >= idleNanos) {
                    dropped |= retire(entry, now, true);
                } else if (oldest == null || entry.lastUsedNanos - oldest.lastUsedNanos < 0) {
                    oldest = entry;
                }
            }
            if (dropped || size.get() < maxKeys) {
                return true;
            }
            if (oldest == null) {
                return false;
            }
            if (retire(oldest, now, false)) {
                return true;
            }
            // It was entered meanwhile: look again.
        }
        return size.get() < maxKeys;
    }

    /** Drops the keys idle past the expiry; runs on the clock's timer while keys are held. */
    private void sweep() {
        long now = clock.nanoTime();
        long nextDue = Long.MAX_VALUE;
        for (Entry<P> entry : entries.values()) {
            if (entry.evictable(now) && now - entry.lastUsedNanos >= idleNanos && retire(entry, now, true)) {
                continue;
            }
            long due = entry.lastUsedNanos + Math.max(idleNanos, entry.quietNanos);
            if (due - nextDue < 0 || nextDue == Long.MAX_VALUE) {
                nextDue = due;
            }
        }
        sweepScheduled.set(false);
        if (entries.isEmpty()) {
            return; // The next new key schedules a sweep again; an unused instance holds no timer.
        }
        if (sweepScheduled.compareAndSet(false, true)) {
            // At the earliest expiry, but no more often than every quarter of the expiry (keys in use keep old
            // stamps) and no later than one expiry from now.
            long delay = Math.min(idleNanos, Math.max(idleNanos / 4, nextDue - now));
            clock.schedule(this::sweep, Math.max(1, delay));
        }
    }

    /**
     * Drops one entry if it is still idle enough: one compare-and-set from the state read (no call in flight) to
     * RETIRED, which fails if any call entered since, however briefly.
     */
    private boolean retire(Entry<P> entry, long now, boolean expired) {
        long state = entry.state.get();
        if (state == RETIRED || (int) state != 0) {
            return false;
        }
        // Read after the state: a call that left before that read stamped its time first.
        long idle = now - entry.lastUsedNanos;
        if (idle < entry.quietNanos || (expired && idle < idleNanos)) {
            return false;
        }
        // No call of ours is in flight, but the policy may still hold a permit for one whose caller gave up; no new
        // permit can be taken between this check and the compare-and-set below without failing it.
        if (holdsPermits.test(entry.policy)) {
            return false;
        }
        if (!entry.state.compareAndSet(state, RETIRED)) {
            return false;
        }
        // No call can reach its policy any more: its counts are final.
        retiredPermitted.add(permitted.applyAsLong(entry.policy));
        retiredRejected.add(rejected.applyAsLong(entry.policy));
        retiredStoreErrors.add(storeErrors.applyAsLong(entry.policy));
        entries.remove(entry.key, entry);
        size.decrementAndGet();
        evicted.increment();
        return true;
    }

    private Subscription subscribe(EventListener<? super ResilienceEvent> listener) {
        Subscription subscription = publisher.subscribe(listener);
        if (!forwarding) {
            forwarding = true;
            entries.values().forEach(this::forward);
        }
        return subscription;
    }

    private void forward(Entry<P> entry) {
        if (entry.forwarded.compareAndSet(false, true)) {
            entry.policy.events().subscribe(forwarder);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public String toString() {
        return "KeyedPolicy[" + kind + " '" + name + "', keys=" + entries.size() + "/" + maxKeys + "]";
    }

    /** One key: its policy, calls in flight and last use. */
    private static final class Entry<P extends Policy> {

        final Object key;
        final P policy;
        final long quietNanos;
        /** Low half: calls in flight; high half: how many calls entered (so that any entry changes it); or RETIRED. */
        final AtomicLong state = new AtomicLong(ENTER);
        final AtomicBoolean forwarded = new AtomicBoolean();
        volatile long lastUsedNanos;
        /** The policy linked to each inner link it was called with: pairs of (next, linked). */
        private volatile Object[] links = new Object[0];

        /** Created entered, by the call that creates it, so that it cannot be dropped before its first call. */
        Entry(Object key, P policy, long quietNanos, long now) {
            this.key = key;
            this.policy = policy;
            this.quietNanos = quietNanos;
            this.lastUsedNanos = now;
        }

        boolean tryEnter() {
            for (;;) {
                long current = state.get();
                if (current == RETIRED) {
                    return false;
                }
                if (state.compareAndSet(current, current + ENTER)) {
                    return true;
                }
            }
        }

        boolean evictable(long now) {
            long current = state.get();
            return current != RETIRED && (int) current == 0 && now - lastUsedNanos >= quietNanos;
        }

        Invoker invoker(Invoker next) {
            Object linked = linked(next);
            if (linked == null) {
                linked = link(next, policy.decorate(next));
            }
            return (Invoker) linked;
        }

        AsyncInvoker asyncInvoker(AsyncInvoker next) {
            Object linked = linked(next);
            if (linked == null) {
                linked = link(next, policy.decorateAsync(next));
            }
            return (AsyncInvoker) linked;
        }

        private Object linked(Object next) {
            Object[] current = links;
            for (int i = 0; i < current.length; i += 2) {
                if (current[i] == next) {
                    return current[i + 1];
                }
            }
            return null;
        }

        /** Racy on purpose: two threads may link at once; either result is equivalent, one is kept. */
        private Object link(Object next, Object linked) {
            Object[] current = links;
            Object[] grown = Arrays.copyOf(current, current.length + 2);
            grown[current.length] = next;
            grown[current.length + 1] = linked;
            links = grown;
            return linked;
        }
    }
}
