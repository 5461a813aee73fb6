package dev.resilience.test.spring;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A small application with one annotated service, for the kit's Spring tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
class KitTestApplication {

    @Bean
    Downstream downstream() {
        return new Downstream();
    }

    /** Methods protected by each kind of policy. */
    static class Downstream {

        @CircuitBreaker(name = "inventory")
        public String failing() throws IOException {
            throw new IOException("down");
        }

        @CircuitBreaker(name = "inventory")
        public String healthy() {
            return "ok";
        }

        @RateLimited(name = "orders")
        public String order() {
            return "ordered";
        }

        @Retry(name = "shipping")
        public String shipping() {
            return "shipped";
        }

        @Bulkhead(name = "stock")
        public String holdUntil(CountDownLatch release) throws InterruptedException {
            return release.await(10, TimeUnit.SECONDS) ? "released" : "not released";
        }
    }
}
