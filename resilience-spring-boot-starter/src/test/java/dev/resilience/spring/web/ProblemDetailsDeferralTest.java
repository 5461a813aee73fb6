package dev.resilience.spring.web;

import dev.resilience.ResilienceException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which application handlers make the advice for a rejection step back, decided from the advices' classes. */
class ProblemDetailsDeferralTest {

    @Test
    void aCatchAllForExceptionRuntimeExceptionOrThrowableIsNotAHandlerForRejections() {
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(CatchAll.class, CallNotPermittedException.class)).isFalse();
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(CatchAll.class, TimeoutExceededException.class)).isFalse();
    }

    @Test
    void aHandlerForResilienceExceptionCoversEveryRejection() {
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(AllRejections.class, CallNotPermittedException.class)).isTrue();
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(AllRejections.class, BulkheadFullException.class)).isTrue();
    }

    @Test
    void aHandlerForOneRejectionCoversThatOneOnlyEvenBesideACatchAll() {
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(OneRejection.class, CallNotPermittedException.class)).isTrue();
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(OneRejection.class, BulkheadFullException.class)).isFalse();
    }

    @Test
    void aRejectionListedBesideOtherExceptionsOnOneMethodCountsForThatRejection() {
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(Mixed.class, CallNotPermittedException.class)).isTrue();
        assertThat(ResilienceProblemDetailsAdvice.declaresHandlerFor(Mixed.class, TimeoutExceededException.class)).isFalse();
    }

    @Test
    void eachAdviceIsFirstUnlessAnApplicationAdviceHandlesItsRejection() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("application", new RootBeanDefinition(OneRejection.class));
        beanFactory.registerBeanDefinition("catchAll", new RootBeanDefinition(CatchAll.class));
        ResilienceProblemDetailsAdvice open = new ResilienceProblemDetailsAdvice.CircuitBreakerOpen();
        ResilienceProblemDetailsAdvice full = new ResilienceProblemDetailsAdvice.BulkheadFull();
        open.setBeanFactory(beanFactory);
        full.setBeanFactory(beanFactory);

        assertThat(open.getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
        assertThat(full.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
    }

    @RestControllerAdvice
    static class CatchAll {
        @ExceptionHandler({Exception.class, RuntimeException.class, Throwable.class})
        String any(Throwable error) {
            return "any";
        }
    }

    @RestControllerAdvice
    static class AllRejections {
        @ExceptionHandler
        String rejected(ResilienceException rejection) {
            return "rejected";
        }
    }

    @RestControllerAdvice
    static class OneRejection {
        @ExceptionHandler
        String open(CallNotPermittedException rejection) {
            return "open";
        }

        @ExceptionHandler
        String any(Exception error) {
            return "any";
        }
    }

    @RestControllerAdvice
    static class Mixed {
        @ExceptionHandler({IOException.class, CallNotPermittedException.class})
        String either(Exception error) {
            return "either";
        }
    }
}
