package dev.resilience.sample.soak;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * What the sample may answer under chaos, per status: a quote (live or degraded to the list price), a placed order,
 * the application's own 502 for a downstream failure no policy absorbed, or one of the starter's problem responses
 * (429, 503, 504: {@code application/problem+json}, a body naming the instance, {@code Retry-After} where the wait is
 * known). Anything else, a 500 above all, is a violation.
 */
final class SoakContract {

    /** Every instance a problem response of the sample may name. */
    static final Set<String> INSTANCES = Set.of("inventory", "pricing", "shipping", "orders");

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SoakContract() {
    }

    /**
     * @param response an answer of the sample to {@code GET /orders/quote} or {@code POST /orders}
     * @return its category and, if the contract does not allow it, why
     */
    static SoakAnswer classify(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            return switch (status) {
                case 200 -> quote(response);
                case 201 -> order(response);
                case 502 -> downstreamFailed(response);
                case 429, 503, 504 -> resilienceProblem(response);
                default -> SoakAnswer.violation(status, status + " never allowed", "status " + status + ": " + abbreviate(response.body()));
            };
        } catch (JacksonException e) {
            return SoakAnswer.violation(status, status + " unreadable body", "status " + status + " with a body that is not JSON: "
                    + abbreviate(response.body()));
        }
    }

    private static SoakAnswer quote(HttpResponse<String> response) {
        String source = text(JSON.readTree(response.body()), "priceSource");
        return switch (source) {
            case "live" -> SoakAnswer.allowed(200, "200 quote, live price");
            case "list-price" -> SoakAnswer.allowed(200, "200 quote, degraded to the list price");
            default -> SoakAnswer.violation(200, "200 quote without a price source", "priceSource is '" + source + "': "
                    + abbreviate(response.body()));
        };
    }

    private static SoakAnswer order(HttpResponse<String> response) {
        String id = text(JSON.readTree(response.body()), "id");
        return id.startsWith("ORD-") ? SoakAnswer.allowed(201, "201 order placed")
                : SoakAnswer.violation(201, "201 order without a number", "order id is '" + id + "'");
    }

    /** The sample's own mapping (OrderErrors): a downstream failure that no policy absorbed is a 502 problem. */
    private static SoakAnswer downstreamFailed(HttpResponse<String> response) {
        String category = "502 downstream failed (OrderErrors)";
        if (!isProblemJson(response)) {
            return SoakAnswer.violation(502, category, "Content-Type " + contentType(response) + " instead of " + PROBLEM_JSON);
        }
        String title = text(JSON.readTree(response.body()), "title");
        return title.equals("Downstream failed") ? SoakAnswer.allowed(502, category)
                : SoakAnswer.violation(502, category, "title '" + title + "': " + abbreviate(response.body()));
    }

    private static SoakAnswer resilienceProblem(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode problem = JSON.readTree(response.body());
        String instance = text(problem, "instanceName");
        String kind = text(problem, "kind");
        String category = status + " " + kind + " " + instance;
        if (!isProblemJson(response)) {
            return SoakAnswer.violation(status, category, "Content-Type " + contentType(response) + " instead of " + PROBLEM_JSON);
        }
        if (!INSTANCES.contains(instance)) {
            return SoakAnswer.violation(status, category, "instanceName '" + instance + "' is none of " + INSTANCES + ": "
                    + abbreviate(response.body()));
        }
        JsonNode bodyStatus = problem.get("status");
        if (bodyStatus == null || !bodyStatus.isIntegralNumber() || bodyStatus.intValue() != status) {
            return SoakAnswer.violation(status, category, "body status " + bodyStatus + " for HTTP " + status);
        }
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (mustSayWhenToRetry(status, text(problem, "detail")) && !retryAfter.map(SoakContract::isWholeSeconds).orElse(false)) {
            return SoakAnswer.violation(status, category, "Retry-After is " + retryAfter.orElse("missing")
                    + " where the wait is known: " + abbreviate(response.body()));
        }
        return SoakAnswer.allowed(status, category);
    }

    /** A rate limiter knows when its next permits arrive, an OPEN breaker when it tries again (not a full HALF_OPEN). */
    private static boolean mustSayWhenToRetry(int status, String detail) {
        return status == 429 || (status == 503 && detail.contains("is OPEN"));
    }

    private static boolean isWholeSeconds(String value) {
        return value.matches("[1-9][0-9]*");
    }

    private static boolean isProblemJson(HttpResponse<String> response) {
        return contentType(response).startsWith(PROBLEM_JSON);
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("(none)");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "(none)" : value.asString();
    }

    /** Keeps a reported body to one line of reasonable length. */
    static String abbreviate(String text) {
        String line = text == null ? "" : text.replace('\n', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
