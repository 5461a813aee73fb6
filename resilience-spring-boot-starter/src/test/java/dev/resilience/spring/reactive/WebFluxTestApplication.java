package dev.resilience.spring.reactive;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import dev.resilience.reactor.ReactorResilience;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.atomic.AtomicInteger;

/** A WebFlux application whose controller returns annotated methods' publishers, on a manual clock. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WebFluxTestApplication.Controller.class)
class WebFluxTestApplication {

    @Bean
    ManualClock resilienceClock() {
        return new ManualClock();
    }

    @Bean
    Service reactiveRejectingService() {
        return new Service();
    }

    /** Annotated methods returning {@code Mono}. */
    public static class Service {
        /** Subscriptions to {@link #slow()} so far. */
        final AtomicInteger slowSubscriptions = new AtomicInteger();
        /** Holds {@link #orders()} until the test completes it. */
        volatile Sinks.Empty<Void> orders = Sinks.empty();

        @CircuitBreaker(name = "inventory")
        public Mono<String> inventory() {
            return Mono.just("stock");
        }

        @RateLimited(name = "search")
        public Mono<String> search() {
            return Mono.just("results");
        }

        @Bulkhead(name = "orders")
        public Mono<String> orders() {
            return orders.asMono().then(Mono.just("orders"));
        }

        public void releaseOrders() {
            orders.tryEmitEmpty();
        }

        public void holdOrders() {
            orders = Sinks.empty();
        }

        public int slowSubscriptions() {
            return slowSubscriptions.get();
        }

        @Timeout(name = "slow")
        public Mono<String> slow() {
            return Mono.<String>never().doOnSubscribe(s -> slowSubscriptions.incrementAndGet());
        }

        /** @return the milliseconds left of the deadline the protected subscription's source runs within */
        @Timeout(name = "long")
        public Mono<String> remaining() {
            return Mono.deferContextual(context -> {
                Deadline deadline = ReactorResilience.deadline(context);
                return Mono.just(deadline == null ? "none" : Long.toString(deadline.remaining().toMillis()));
            });
        }
    }

    @RestController
    static class Controller {
        private final Service service;
        private final WebClient.Builder webClient;

        Controller(Service service, WebClient.Builder webClient) {
            this.service = service;
            this.webClient = webClient;
        }

        @GetMapping("/inventory")
        Mono<String> inventory() {
            return service.inventory();
        }

        @GetMapping("/search")
        Mono<String> search() {
            return service.search();
        }

        @GetMapping("/orders")
        Mono<String> orders() {
            return service.orders();
        }

        @GetMapping("/slow")
        Mono<String> slow() {
            return service.slow();
        }

        @GetMapping("/remaining")
        Mono<String> remaining() {
            return service.remaining();
        }

        /** Calls {@code /echo} of the given port with Boot's WebClient and returns what it answered. */
        @GetMapping("/forward")
        Mono<String> forward(@RequestHeader("X-Port") int port) {
            return webClient.build().get().uri("http://localhost:" + port + "/echo").retrieve().bodyToMono(String.class);
        }

        /** @return the deadline header this request carried, or "none" */
        @GetMapping("/echo")
        Mono<String> echo(@RequestHeader(name = "Resilience-Deadline-Remaining-Ms", required = false) String header) {
            return Mono.just(header == null ? "none" : header);
        }
    }
}
