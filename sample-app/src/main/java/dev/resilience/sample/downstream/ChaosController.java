package dev.resilience.sample.downstream;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Breaks and heals the downstreams at run time:
 * {@code POST /chaos/inventory {"failureRate":1.0}}, {@code GET /chaos}, {@code DELETE /chaos}.
 */
@RestController
@RequestMapping("/chaos")
class ChaosController {

    private final Chaos chaos;

    ChaosController(Chaos chaos) {
        this.chaos = chaos;
    }

    /** @return every downstream's settings and calls in progress, by name */
    @GetMapping
    Map<String, ChaosView> all() {
        Map<String, ChaosView> views = new LinkedHashMap<>();
        for (Downstream downstream : Downstream.values()) {
            views.put(downstream.id(), chaos.view(downstream));
        }
        return views;
    }

    /**
     * @param name {@code inventory}, {@code pricing} or {@code shipping}
     * @return that downstream's settings and calls in progress
     */
    @GetMapping("/{name}")
    ChaosView one(@PathVariable String name) {
        return chaos.view(downstream(name));
    }

    /**
     * @param name the downstream to break
     * @param settings its misbehaviour from now on; left-out fields mean "behave"
     * @return its settings now
     */
    @PostMapping("/{name}")
    ChaosView set(@PathVariable String name, @RequestBody ChaosSettings settings) {
        Downstream downstream = downstream(name);
        chaos.set(downstream, settings);
        return chaos.view(downstream);
    }

    /** @return every downstream, healed */
    @DeleteMapping
    Map<String, ChaosView> heal() {
        chaos.healAll();
        return all();
    }

    /** Answers a bad setting with the rule it breaks rather than a generic "cannot read the body". */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail badSettings(HttpMessageNotReadableException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String detail = cause instanceof IllegalArgumentException ? cause.getMessage()
                : "Expected JSON like {\"failureRate\":1.0,\"latencyMs\":0,\"hang\":false,\"failNext\":0}";
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    private static Downstream downstream(String name) {
        return Downstream.byId(name).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "No downstream '" + name + "'; there are inventory, pricing and shipping"));
    }
}
