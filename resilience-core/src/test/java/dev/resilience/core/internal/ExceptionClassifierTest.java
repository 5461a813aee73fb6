package dev.resilience.core.internal;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionClassifierTest {

    @Test
    void withNothingConfiguredEveryExceptionCounts() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(), List.of(), null, null);
        assertThat(classifier.counts(new IOException())).isTrue();
        assertThat(classifier.counts(new IllegalStateException())).isTrue();
    }

    @Test
    void recordedClassesMatchTheirSubclasses() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(IOException.class), List.of(), null, null);
        assertThat(classifier.counts(new FileNotFoundException())).isTrue();
        assertThat(classifier.counts(new IllegalStateException())).isFalse();
    }

    @Test
    void ignoreWinsOverRecord() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(IOException.class), List.of(FileNotFoundException.class), null, null);
        assertThat(classifier.counts(new IOException())).isTrue();
        assertThat(classifier.counts(new FileNotFoundException())).isFalse();
    }

    @Test
    void aRecordPredicateAloneDecides() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(), List.of(),
                e -> e.getMessage() != null && e.getMessage().contains("retry"), null);
        assertThat(classifier.counts(new IOException("please retry"))).isTrue();
        assertThat(classifier.counts(new IOException("fatal"))).isFalse();
    }

    @Test
    void ignorePredicateIgnores() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(), List.of(), null, e -> e instanceof IllegalArgumentException);
        assertThat(classifier.counts(new IllegalArgumentException())).isFalse();
        assertThat(classifier.counts(new IllegalStateException())).isTrue();
    }

    @Test
    void ignoringUnnamedErrorsCountsAnErrorOnlyWhenARecordClassThatIsAnErrorNamesIt() {
        ExceptionClassifier classifier = ExceptionClassifier.ignoringUnnamedErrors(
                List.of(Exception.class, java.io.IOError.class), List.of(), e -> true, e -> {
                    throw new IllegalStateException("asked about " + e);
                });
        assertThat(classifier.counts(new StackOverflowError())).isFalse(); // no predicate is asked
        assertThat(new ExceptionClassifier(List.of(Throwable.class), List.of(), null, null)
                .counts(new StackOverflowError())).isTrue();
        assertThat(ExceptionClassifier.ignoringUnnamedErrors(List.of(Throwable.class), List.of(), null, null)
                .counts(new StackOverflowError())).isFalse();
        assertThat(ExceptionClassifier.ignoringUnnamedErrors(List.of(java.io.IOError.class), List.of(), null, null)
                .counts(new java.io.IOError(null))).isTrue();
    }

    @Test
    void ignoresAnswersForTheIgnoreClassesAndPredicateOnly() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(IOException.class), List.of(FileNotFoundException.class),
                null, e -> "benign".equals(e.getMessage()));
        assertThat(classifier.ignores(new FileNotFoundException())).isTrue();
        assertThat(classifier.ignores(new IllegalStateException("benign"))).isTrue();
        assertThat(classifier.ignores(new IllegalStateException("bad"))).isFalse();
    }

    @Test
    void recordsWithNothingConfiguredRecordsEverything() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(), List.of(IOException.class), null, null);
        assertThat(classifier.records(new IllegalStateException())).isTrue();
        assertThat(classifier.records(new IOException())).as("ignoring is the other question").isTrue();
    }

    @Test
    void recordsAcceptsWhatEitherTheClassesOrThePredicateRecord() {
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(IOException.class), List.of(),
                e -> "503".equals(e.getMessage()), null);
        assertThat(classifier.records(new FileNotFoundException("x"))).isTrue();
        assertThat(classifier.records(new IllegalStateException("503"))).isTrue();
        assertThat(classifier.records(new IllegalStateException("404"))).isFalse();
        assertThat(classifier.counts(new IllegalStateException("503"))).isTrue();
    }
}
