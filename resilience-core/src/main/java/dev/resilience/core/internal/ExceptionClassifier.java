package dev.resilience.core.internal;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides whether a thrown exception counts for a policy (recorded as a failure, or retried) or is
 * ignored. Subclass-aware: a class matches its subclasses too. An ignore match always wins over a record
 * match. With no record classes and no record predicate, every exception that is not ignored counts.
 * The record classes and the record predicate each suffice, as in Resilience4j. {@link #counts(Throwable)} is a
 * retry's two-way question (retried or not); a circuit breaker asks {@link #ignores(Throwable)} then
 * {@link #records(Throwable)}, as an exception that is neither ignored nor recorded is a success to it.
 * Optionally ({@link #ignoringUnnamedErrors}) an {@link Error} is ignored unless a record class that is an
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
    private final ClassValue<Boolean> ignoredClass = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return matches(ignored, type);
        }
    };
    private final ClassValue<Boolean> recordedClass = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return matches(recorded, type);
        }
    };

    /**
     * @param recorded classes that count (empty, with no record predicate: all count)
     * @param ignored classes that never count
     * @param recordPredicate a test that makes an exception it accepts count, besides the recorded classes, or
     *     {@code null}
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
     * an answer of the protected dependency) is ignored, unless a record class that is an {@code Error} (or a
     * subclass of one) names it; then it is classified like any exception. Neither predicate is asked about an
     * error ignored for that reason.
     *
     * @param recorded classes that count (empty, with no record predicate: all count)
     * @param ignored classes that never count
     * @param recordPredicate a test that makes an exception it accepts count, besides the recorded classes, or
     *     {@code null}
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
        return !ignores(error) && records(error);
    }

    /**
     * The first of a circuit breaker's two questions (see {@link #records(Throwable)}); ignoring wins.
     *
     * @param error what the call threw
     * @return {@code true} if an ignored class or the ignore predicate matches it (or, with
     *     {@link #ignoringUnnamedErrors}, it is an {@link Error} no record class names)
     * @throws RuntimeException whatever a predicate throws, unchanged (the policy decides what that means)
     */
    public boolean ignores(Throwable error) {
        if (namedErrors != null && error instanceof Error && !named(error)) {
            return true;
        }
        return ignoredClass.get(error.getClass()) || (ignorePredicate != null && ignorePredicate.test(error));
    }

    /**
     * The second of a circuit breaker's two questions, for an exception {@link #ignores(Throwable)} let through:
     * is it a failure, or does the call count as a success? As Resilience4j's breaker decides it, the record classes
     * and the record predicate each record on their own (either is enough); with neither configured every
     * exception is recorded. This does not look at the ignore settings: {@link #counts(Throwable)} does.
     *
     * @param error what the call threw
     * @return {@code true} if a record class matches it, or the record predicate accepts it, or neither is set
     */
    public boolean records(Throwable error) {
        if (recorded.isEmpty() && recordPredicate == null) {
            return true;
        }
        return recordedClass.get(error.getClass()) || (recordPredicate != null && recordPredicate.test(error));
    }

    private boolean named(Throwable error) {
        for (Class<?> named : namedErrors) {
            if (named.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<Class<? extends Throwable>> classes, Class<?> type) {
        for (Class<? extends Throwable> candidate : classes) {
            if (candidate.isAssignableFrom(type)) {
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
