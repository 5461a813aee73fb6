package dev.resilience.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring test class (e.g. a {@code @SpringBootTest}) whose application uses the Resilience starter:
 * <ul>
 * <li>the context gets a {@link dev.resilience.core.ManualClock} as its {@link dev.resilience.core.Clock} (unless
 * {@link #manualClock()} is false), so policies read time only when the test moves it: inject it with
 * {@code @Autowired ManualClock clock} and call {@code clock.advance(Duration)};</li>
 * <li>the context gets a {@link dev.resilience.test.RecordedEvents} bean recording every instance's events;</li>
 * <li>before each test every instance starts afresh: breakers CLOSED with an empty window, rate limiters full,
 * retry counters and budgets cleared, recorded events and the actuator's events buffer cleared;</li>
 * <li>after each test the bulkheads must be empty within {@link #bulkheadGraceMillis()}: a call still holding a
 * permit fails the test that started it.</li>
 * </ul>
 * The application context stays cached across test classes with the same configuration, as usual; the reset is what
 * keeps the tests sharing it independent. The clock is per context: it keeps its time from one test to the next.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface ResilienceTest {

    /** @return whether the context's clock is a {@code ManualClock} (false: the application's own clock) */
    boolean manualClock() default true;

    /** @return how long, in real milliseconds, calls a test started may take to finish after it */
    long bulkheadGraceMillis() default 5_000;
}
