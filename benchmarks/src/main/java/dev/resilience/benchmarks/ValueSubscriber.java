package dev.resilience.benchmarks;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The least a caller can do to get a {@code Mono}'s value: one subscriber per subscription that requests everything
 * and keeps the value. Every reactive benchmark uses it for both libraries, instead of {@code block()}, whose
 * {@code CountDownLatch}-based subscriber and blocking checks would be measured too. A {@link CoreSubscriber}, so
 * Reactor subscribes it as it is (a plain {@code Subscriber} would be wrapped in a {@code StrictSubscriber}).
 *
 * @param <T> the value type
 */
final class ValueSubscriber<T> implements CoreSubscriber<T> {

    private T value;
    private Throwable error;

    private ValueSubscriber() {
    }

    /**
     * @param mono a {@code Mono} that emits its value on the subscribing thread, during {@code subscribe}
     * @param <T> the value type
     * @return its value
     * @throws IllegalStateException if it failed, or had not emitted a value when {@code subscribe} returned (the
     *     benchmark would then measure something else than it says)
     */
    static <T> T valueOf(Mono<T> mono) {
        ValueSubscriber<T> subscriber = new ValueSubscriber<>();
        mono.subscribe(subscriber);
        return subscriber.value();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T next) {
        value = next;
    }

    @Override
    public void onError(Throwable failure) {
        error = failure;
    }

    @Override
    public void onComplete() {
        // the value, if any, has already arrived
    }

    private T value() {
        if (value != null) {
            return value;
        }
        throw new IllegalStateException(error != null ? "the Mono failed" : "the Mono emitted no value while subscribed",
                error);
    }
}
