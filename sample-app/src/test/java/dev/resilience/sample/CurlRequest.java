package dev.resilience.sample;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * The request a README {@code curl} command makes, for the options the README uses:
 * {@code -s -i -o -w -X -H -d} and one URL. Anything else fails the test, so the README cannot drift into
 * commands this check does not understand.
 */
final class CurlRequest {

    private CurlRequest() {
    }

    /**
     * @param words the command's words, starting with {@code curl}
     * @param port the port the README's {@code localhost:8080} stands for
     * @return the request
     */
    static HttpRequest of(List<String> words, int port) {
        if (!words.get(0).equals("curl")) {
            throw new IllegalArgumentException("Not a curl command: " + words);
        }
        String method = null;
        String body = null;
        String url = null;
        HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(Duration.ofSeconds(20));
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-s", "-i", "-si" -> {
                    // output options: the test reads status, headers and body anyway
                }
                case "-o", "-w" -> i++;
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(":\\s*", 2);
                    builder.header(header[0], header[1]);
                }
                case "-d" -> body = words.get(++i);
                default -> {
                    if (word.startsWith("-") || url != null) {
                        throw new IllegalArgumentException("Unsupported curl argument '" + word + "' in " + words);
                    }
                    url = word;
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("No URL in " + words);
        }
        if (!url.startsWith("localhost:8080/")) {
            throw new IllegalArgumentException("README URLs must start with localhost:8080/: " + url);
        }
        builder.uri(URI.create("http://localhost:" + port + url.substring("localhost:8080".length())));
        // curl sends a body with POST unless told otherwise (-d implies POST).
        String verb = method != null ? method : body != null ? "POST" : "GET";
        builder.method(verb, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return builder.build();
    }
}
