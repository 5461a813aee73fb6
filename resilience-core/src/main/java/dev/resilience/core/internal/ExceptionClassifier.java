package dev.resilience.core.internal;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides whether a thrown exception counts for a policy (recorded as a failure, or retried) or is
 * ignored. Subclass-aware: a class matches its subclasses too. An ignore match always wins over a record
 * match. With no record classes and no record predicate, every exception that is not ignored counts.
 * Optionally ({@link #ignoringUnnamedErrors}) an {@link Error} counts only when a record class that is an
 * {@code Error} names it: the circuit breaker's rule, kept here so that the breaker and its config's queries apply
 * one and the same classification.
 *
 * <p>Class decisions are cached per exception class ({@link ClassValue}), so classification costs a map
 * lookup, not a walk over the configured classes. Immutable and thread-safe.
 */
public final class ExceptionClassifier {

    private final List<Class<? extends Throwable>> recorded;
    private final List<Class<? extends Throwable>> ignored;
    private final Predicate<Throwable> recordPredicate;
    private final Predicate<Throwable> ignorePredicate;
    /** The Error classes among the record classes, or {@code null}: Errors are classified like any exception. */
    private final Class<?>[] namedErrors;
    private final ClassValue<Boolean> classDecision = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return decideByClass(type);
        }
    };

    /**
     * @param recorded classes that count (empty: all count)
     * @param ignored classes that never count
     * @param recordPredicate extra test that must also accept the exception, or {@code null}
     * @param ignorePredicate extra test that ignores the exception when it accepts it, or {@code null}
     */
    public ExceptionClassifier(List<Class<? extends Throwable>> recorded, List<Class<? extends Throwable>> ignored,
                               Predicate<Throwable> recordPredicate, Predicate<Throwable> ignorePredicate) {
        this(recorded, ignored, recordPredicate, ignorePredicate, false);
    }

    private ExceptionClassifier(List<Class<? extends Throwable>> recorded, List<Class<? extends Throwable>> ignored,
                                Predicate<Throwable> recordPredicate, Predicate<Throwable> ignorePredicate,
                                boolean errorsOnlyWhenNamed) {
        this.recorded = List.copyOf(recorded);
        this.ignored = List.copyOf(ignored);
        this.recordPredicate = recordPredicate;
        this.ignorePredicate = ignorePredicate;
        this.namedErrors = errorsOnlyWhenNamed
                ? this.recorded.stream().filter(Error.class::isAssignableFrom).toArray(Class<?>[]::new) : null;
    }

    /**
     * A classifier with the circuit breaker's rule for errors: an {@link Error} (the JVM's or a linkage problem, not
     * an answer of the protected dependency) never counts, unless a record class that is an {@code Error} (or a
     * subclass of one) names it; then it is classified like any exception. Neither predicate is asked about an
     * error that does not count for that reason.
     *
     * @param recorded classes that count (empty: all count)
     * @param ignored classes that never count
     * @param recordPredicate extra test that must also accept the exception, or {@code null}
     * @param ignorePredicate extra test that ignores the exception when it accepts it, or {@code null}
     * @return the classifier
     */
    public static ExceptionClassifier ignoringUnnamedErrors(List<Class<? extends Throwable>> recorded,
                                                            List<Class<? extends Throwable>> ignored,
                                                            Predicate<Throwable> recordPredicate,
                                                            Predicate<Throwable> ignorePredicate) {
        return new ExceptionClassifier(recorded, ignored, recordPredicate, ignorePredicate, true);
    }

    /**
     * @param recorded classes that count (empty: all count)
     * @param ignored classes that never count
     * @return a classifier without predicates
     */
    @SafeVarargs
    public static ExceptionClassifier of(Class<? extends Throwable>[] recorded, Class<? extends Throwable>... ignored) {
        return new ExceptionClassifier(Arrays.asList(recorded), Arrays.asList(ignored), null, null);
    }

    /**
     * @param error what the call threw
     * @return {@code true} if it counts (failure / retry), {@code false} if it is ignored
     * @throws RuntimeException whatever a predicate throws, unchanged (the policy decides what that means)
     */
    public boolean counts(Throwable error) {
        if (namedErrors != null && error instanceof Error && !named(error)) {
            return false;
        }
        if (ignorePredicate != null && ignorePredicate.test(error)) {
            return false;
        }
        if (!classDecision.get(error.getClass())) {
            return false;
        }
        return recordPredicate == null || recordPredicate.test(error);
    }

    private boolean named(Throwable error) {
        for (Class<?> named : namedErrors) {
            if (named.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    private boolean decideByClass(Class<?> type) {
        for (Class<? extends Throwable> ignore : ignored) {
            if (ignore.isAssignableFrom(type)) {
                return false;
            }
        }
        if (recorded.isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> record : recorded) {
            if (record.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /** @return the recorded classes */
    public List<Class<? extends Throwable>> recorded() {
        return recorded;
    }

    /** @return the ignored classes */
    public List<Class<? extends Throwable>> ignored() {
        return ignored;
    }
}
