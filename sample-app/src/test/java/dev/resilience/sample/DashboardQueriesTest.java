package dev.resilience.sample;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of the shipped Grafana dashboard and Prometheus alert rules (docs/observability) names meters the sample
 * application really exports at {@code /actuator/prometheus}, with label values its series really carry: a renamed
 * meter or tag breaks this test, not an operator's dashboard.
 */
// A context of its own (the property only sets it apart) thrown away afterwards: the quote this test makes must not
// leave calls in the breakers' windows of the context the README walkthrough shares.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=resilience-sample-dashboard-queries")
@DirtiesContext
class DashboardQueriesTest {

    private static final Path DOCS = Path.of("..", "docs", "observability");
    private static final Pattern METRIC = Pattern.compile("\\b(resilience_[a-z0-9_]*[a-z0-9])\\b(\\{[^}]*})?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @LocalServerPort
    int port;

    /** Scraped series: metric name to the label sets of its samples. */
    private final Map<String, List<Map<String, String>>> scraped = new HashMap<>();

    @BeforeEach
    void scrape() {
        scraped.clear();
        HttpResponse<String> response = new Http(port).get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            scraped.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        assertThat(scraped).as("the sample exports our meters").containsKey("resilience_circuitbreaker_state");
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = Http.json(Files.readString(DOCS.resolve("resilience-grafana-dashboard.json")));
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                targets.forEach(target -> queries.add(target.get("expr").asString()));
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if ("query".equals(variable.get("type").asString())) {
                queries.add(variable.get("definition").asString());
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertQueries() throws IOException {
        try (InputStream in = Files.newInputStream(DOCS.resolve("resilience-prometheus-alerts.yml"))) {
            Map<String, Object> rules = new Yaml().load(in);
            List<String> queries = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    queries.add((String) rule.get("expr"));
                }
            }
            return queries;
        }
    }

    @Test
    void everyDashboardQueryNamesExportedMetersAndLabelValues() throws IOException {
        List<String> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        queries.forEach(this::assertExported);
    }

    @Test
    void everyAlertRuleNamesExportedMetersAndLabelValues() throws IOException {
        List<String> queries = alertQueries();
        assertThat(queries).hasSize(5);
        queries.forEach(this::assertExported);
    }

    @Test
    void annotatedCallsAreObservedThroughSpringBootsObservationRegistry() {
        assertThat(new Http(port).get("/orders/quote?sku=ABC-1").statusCode()).isEqualTo(200);
        scrape();

        // Spring Boot's default observation handler turns each observation into a timer of the same name.
        assertThat(scraped.get("resilience_call_seconds_count"))
                .anyMatch(labels -> "circuitbreaker,bulkhead".equals(labels.get("kind")) && "inventory".equals(labels.get("name"))
                        && "success".equals(labels.get("outcome")));
        assertThat(scraped.get("resilience_attempt_seconds_count"))
                .anyMatch(labels -> "retry".equals(labels.get("kind")) && "shipping".equals(labels.get("name")));
    }

    @Test
    void aRenamedMeterWouldBeCaught() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertExported("rate(resilience_circuitbreaker_calls_count[5m])"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("resilience_circuitbreaker_calls_count");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> assertExported("resilience_circuitbreaker_state{state=\"open\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("open");
    }

    /** The query names at least one exported meter, only exported meters, and label values they carry. */
    private void assertExported(String query) {
        int metrics = 0;
        Matcher metric = METRIC.matcher(query);
        while (metric.find()) {
            metrics++;
            String name = metric.group(1);
            assertThat(scraped).as("meter %s in query %s", name, query).containsKey(name);
            if (metric.group(2) != null) {
                assertLabelValues(name, metric.group(2), query);
            }
        }
        Matcher byName = Pattern.compile("__name__=~\"([^\"]*)\"").matcher(query);
        while (byName.find()) {
            metrics++;
            Pattern names = Pattern.compile(byName.group(1));
            assertThat(scraped.keySet()).as("meters matching %s in query %s", byName.group(1), query)
                    .anyMatch(name -> names.matcher(name).matches());
        }
        assertThat(metrics).as("meters named in query %s", query).isPositive();
    }

    private void assertLabelValues(String name, String selector, String query) {
        Matcher matcher = MATCHER.matcher(selector);
        while (matcher.find()) {
            String label = matcher.group(1);
            String operator = matcher.group(2);
            String value = matcher.group(3);
            if (value.contains("$") || operator.startsWith("!")) {
                continue; // a dashboard variable, or a negative matcher
            }
            List<String> wanted = operator.equals("=") ? List.of(value) : List.of(value.split("\\|"));
            for (String one : wanted) {
                if (!one.matches("[A-Za-z0-9_-]+")) {
                    continue; // a real regular expression: not a list of values
                }
                assertThat(scraped.get(name)).as("series of %s with %s=\"%s\" in query %s", name, label, one, query)
                        .anyMatch(labels -> one.equals(labels.get(label)));
            }
        }
    }
}
