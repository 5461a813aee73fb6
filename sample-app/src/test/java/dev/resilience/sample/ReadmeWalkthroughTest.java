package dev.resilience.sample;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the README's "Try it" walkthrough as written: every line of its {@code sh} blocks, in order, against
 * the application with its own {@code application.yml} on a random port, checking the status (and the
 * backquoted fragments) each line's comment promises. A README step that stops working fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeWalkthroughTest {

    /** The walkthrough has about 40 commands; far fewer means the blocks were not found. */
    private static final int LEAST_COMMANDS = 30;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Background> background = new ArrayList<>();

    @Test
    void everyCommandOfTheWalkthroughAnswersWhatTheReadmeSays() throws Exception {
        List<ShellLine> script = shellLines(Path.of("README.md"));
        assertThat(script).hasSizeGreaterThanOrEqualTo(LEAST_COMMANDS);

        for (ShellLine line : script) {
            List<String> words = line.words();
            switch (words.get(0)) {
                case "curl" -> run(line, words);
                case "for" -> loop(line);
                case "sleep" -> Thread.sleep(Duration.ofSeconds(Long.parseLong(words.get(1))).toMillis());
                case "wait" -> awaitBackground();
                default -> fail("The README uses a command this test cannot run: " + line.text());
            }
        }
        assertThat(background).as("background requests without a 'wait'").isEmpty();
    }

    private void run(ShellLine line, List<String> curl) throws Exception {
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(CurlRequest.of(curl, port),
                HttpResponse.BodyHandlers.ofString());
        if (line.background()) {
            background.add(new Background(line, response));
        } else {
            check(line, List.of(response.get(30, TimeUnit.SECONDS)));
        }
    }

    /** {@code for i in a b c; do curl ...; [echo;] done}: the curl command once per word. */
    private void loop(ShellLine line) throws Exception {
        List<String> words = line.words();
        int separator = words.indexOf(";");
        int done = words.lastIndexOf("done");
        assertThat(words.subList(1, 3)).as(line.text()).containsExactly("i", "in");
        assertThat(words.get(separator + 1)).as(line.text()).isEqualTo("do");
        List<String> curl = null;
        List<String> command = new ArrayList<>();
        for (String word : words.subList(separator + 2, done)) {
            if (!word.equals(";")) {
                command.add(word);
                continue;
            }
            if (command.get(0).equals("curl")) {
                curl = List.copyOf(command);
            } else if (!command.equals(List.of("echo"))) {
                fail("Unsupported command in a README loop: " + command);
            }
            command.clear();
        }
        assertThat(curl).as("a curl command in " + line.text()).isNotNull();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < separator - 3; i++) {
            responses.add(http.send(CurlRequest.of(curl, port), HttpResponse.BodyHandlers.ofString()));
        }
        check(line, responses);
    }

    private void awaitBackground() throws Exception {
        for (Background job : background) {
            check(job.line(), List.of(job.response().get(30, TimeUnit.SECONDS)));
        }
        background.clear();
    }

    private static void check(ShellLine line, List<HttpResponse<String>> responses) {
        assertThat(line.expectedStatuses()).as("statuses promised by the comment of: " + line.text())
                .hasSize(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            String answer = describe(responses.get(i));
            assertThat(responses.get(i).statusCode()).as(line.text() + "\nanswered:\n" + answer)
                    .isEqualTo(line.expectedStatuses().get(i));
            for (String fragment : line.expectedFragments()) {
                assertThat(answer.toLowerCase(Locale.ROOT)).as(line.text() + "\nanswered:\n" + answer)
                        .contains(fragment.toLowerCase(Locale.ROOT));
            }
        }
    }

    private static String describe(HttpResponse<String> response) {
        StringBuilder text = new StringBuilder().append(response.statusCode()).append('\n');
        response.headers().map().forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v).append('\n')));
        return text.append('\n').append(response.body()).toString();
    }

    /** The non-blank lines of every {@code ```sh} block, in order. */
    private static List<ShellLine> shellLines(Path readme) throws IOException {
        List<ShellLine> lines = new ArrayList<>();
        boolean inShellBlock = false;
        for (String text : Files.readAllLines(readme)) {
            if (text.startsWith("```")) {
                inShellBlock = !inShellBlock && text.equals("```sh");
            } else if (inShellBlock && !text.isBlank()) {
                lines.add(ShellLine.parse(text));
            }
        }
        return lines;
    }

    private record Background(ShellLine line, CompletableFuture<HttpResponse<String>> response) {
    }
}
