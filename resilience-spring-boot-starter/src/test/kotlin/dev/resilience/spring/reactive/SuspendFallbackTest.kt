package dev.resilience.spring.reactive

import dev.resilience.annotation.CircuitBreaker
import dev.resilience.annotation.Retry
import dev.resilience.circuitbreaker.CallNotPermittedException
import dev.resilience.spring.ResilienceConfigurationException
import dev.resilience.spring.ResilienceRegistries
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.test.util.AopTestUtils
import reactor.core.publisher.Mono
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** Suspend functions whose fallbacks are suspend functions, with and without the exception parameter. */
open class SuspendFallbacks {
    val runs = AtomicInteger()
    val fallbacks = AtomicInteger()
    val received = CopyOnWriteArrayList<Throwable>()
    val coroutineNames = CopyOnWriteArrayList<String?>()

    @CircuitBreaker(name = "breaker", fallbackMethod = "cachedPrice")
    open suspend fun price(sku: String): String {
        runs.incrementAndGet()
        yield()
        throw IllegalStateException("down for $sku")
    }

    /** The most specific fallback for an IllegalStateException. */
    open suspend fun cachedPrice(sku: String, error: IllegalStateException): String {
        yield()
        received.add(error)
        coroutineNames.add(currentCoroutineContext()[CoroutineName]?.name)
        return "cached $sku"
    }

    /** For anything else, including the open breaker's rejection. */
    open suspend fun cachedPrice(sku: String, error: Throwable): String {
        received.add(error)
        return "rejected $sku"
    }

    @Retry(name = "three", fallbackMethod = "noStock")
    open suspend fun stock(sku: String): Int {
        runs.incrementAndGet()
        throw IllegalStateException("down")
    }

    /** Without an exception parameter. */
    open suspend fun noStock(sku: String): Int {
        fallbacks.incrementAndGet()
        return -1
    }

    @CircuitBreaker(name = "ignoring", fallbackMethod = "anything")
    open suspend fun ignored(): String = throw IllegalArgumentException("ignored by the breaker")

    open suspend fun anything(): String {
        fallbacks.incrementAndGet()
        return "fallback"
    }

    @CircuitBreaker(name = "breaker", fallbackMethod = "failingFallback")
    open suspend fun failingTwice(): String = throw IllegalStateException("down")

    open suspend fun failingFallback(error: Throwable): String = throw UnsupportedOperationException("fallback down too", error)

    @CircuitBreaker(name = "breaker", fallbackMethod = "quiet")
    open suspend fun unit() {
        throw IllegalStateException("down")
    }

    open suspend fun quiet(error: Throwable) {
        fallbacks.incrementAndGet()
    }
}

/** A plain function named as the fallback of a suspend function. */
open class PlainFallbackForSuspend {
    @CircuitBreaker(name = "breaker", fallbackMethod = "plain")
    open suspend fun guarded(): String = "ok"

    open fun plain(): String = "fallback"
}

/** A suspend function named as the fallback of a method returning Mono. */
open class SuspendFallbackForMono {
    @CircuitBreaker(name = "breaker", fallbackMethod = "recover")
    open fun guarded(): Mono<String> = Mono.just("ok")

    open suspend fun recover(): String = "fallback"
}

/** A suspend fallback whose value type does not match the function's. */
open class MistypedSuspendFallback {
    @CircuitBreaker(name = "breaker", fallbackMethod = "recover")
    open suspend fun guarded(): String = "ok"

    open suspend fun recover(error: Throwable): Int = 0
}

class SuspendFallbackTest {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java, ResilienceReactiveAutoConfiguration::class.java))
        .withPropertyValues(
            "resilience.retry.instances.three.max-attempts=3",
            "resilience.retry.instances.three.wait-duration=1ms",
            "resilience.circuitbreaker.instances.breaker.sliding-window-size=2",
            "resilience.circuitbreaker.instances.breaker.minimum-number-of-calls=2",
            "resilience.circuitbreaker.instances.ignoring.ignore-exceptions=java.lang.IllegalArgumentException")

    @Test
    fun `a suspend fallback receives the arguments and the exception and replaces the failed call`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)

            assertThat(runBlocking { withTimeout(10_000) { service.price("sku-1") } }).isEqualTo("cached sku-1")

            assertThat(target.runs).hasValue(1)
            assertThat(target.received).singleElement()
                .isInstanceOf(IllegalStateException::class.java)
                .extracting { it.message }.isEqualTo("down for sku-1")
            val breaker = context.getBean(ResilienceRegistries::class.java).circuitBreakers().get("breaker")
            assertThat(breaker.metrics().failedCalls()).isEqualTo(1)
        }
    }

    @Test
    fun `the most specific suspend fallback wins and a rejection reaches the general one`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)
            runBlocking {
                withTimeout(10_000) {
                    repeat(2) { assertThat(service.price("sku")).isEqualTo("cached sku") }
                    // The breaker is open now: its rejection is no IllegalStateException.
                    assertThat(service.price("sku")).isEqualTo("rejected sku")
                }
            }
            assertThat(target.runs).hasValue(2)
            assertThat(target.received.last()).isInstanceOf(CallNotPermittedException::class.java)
        }
    }

    @Test
    fun `a suspend fallback runs with the caller's coroutine context`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)
            runBlocking {
                withTimeout(10_000) {
                    withContext(CoroutineName("checkout")) { service.price("sku") }
                }
            }
            assertThat(target.coroutineNames).containsExactly("checkout")
        }
    }

    @Test
    fun `a suspend fallback without an exception parameter runs once after the retries are exhausted`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)

            assertThat(runBlocking { withTimeout(10_000) { service.stock("sku") } }).isEqualTo(-1)

            assertThat(target.runs).hasValue(3)
            assertThat(target.fallbacks).hasValue(1)
        }
    }

    @Test
    fun `an exception the breaker ignores never reaches the suspend fallback`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)

            assertThatThrownBy { runBlocking { withTimeout(10_000) { service.ignored() } } }
                .isInstanceOf(IllegalArgumentException::class.java).hasMessage("ignored by the breaker")
            assertThat(target.fallbacks).hasValue(0)
        }
    }

    @Test
    fun `what a suspend fallback throws reaches the caller`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)

            assertThatThrownBy { runBlocking { withTimeout(10_000) { service.failingTwice() } } }
                // (coroutines' stack-trace recovery may wrap it in a copy of itself)
                .isInstanceOf(UnsupportedOperationException::class.java).hasMessage("fallback down too")
                .hasRootCauseInstanceOf(IllegalStateException::class.java)
        }
    }

    @Test
    fun `a Unit suspend function has a Unit suspend fallback`() {
        runner.withBean(SuspendFallbacks::class.java).run { context ->
            val service = context.getBean(SuspendFallbacks::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendFallbacks>(service)

            runBlocking { withTimeout(10_000) { service.unit() } }

            assertThat(target.fallbacks).hasValue(1)
        }
    }

    @Test
    fun `a plain function as the fallback of a suspend function fails start-up naming both`() {
        runner.withBean(PlainFallbackForSuspend::class.java).run { context ->
            assertThat(context.startupFailure).rootCause()
                .isInstanceOf(ResilienceConfigurationException::class.java)
                .hasMessageContaining(PlainFallbackForSuspend::class.java.name + ".guarded(")
                .hasMessageContaining("'plain'")
                .hasMessageContaining("is not a suspend function")
        }
    }

    @Test
    fun `a suspend function as the fallback of a method returning Mono fails start-up naming both`() {
        runner.withBean(SuspendFallbackForMono::class.java).run { context ->
            assertThat(context.startupFailure).rootCause()
                .isInstanceOf(ResilienceConfigurationException::class.java)
                .hasMessageContaining(SuspendFallbackForMono::class.java.name + ".guarded()")
                .hasMessageContaining("'recover'")
                .hasMessageContaining("is a Kotlin suspend function")
        }
    }

    @Test
    fun `a suspend fallback of another value type fails start-up`() {
        runner.withBean(MistypedSuspendFallback::class.java).run { context ->
            assertThat(context.startupFailure).rootCause()
                .isInstanceOf(ResilienceConfigurationException::class.java)
                .hasMessageContaining(MistypedSuspendFallback::class.java.name + ".guarded(")
                .hasMessageContaining("a suspend function returning java.lang.String")
        }
    }
}
