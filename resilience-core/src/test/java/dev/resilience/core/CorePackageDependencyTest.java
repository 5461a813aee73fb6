package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root package {@code dev.resilience} builds on {@code dev.resilience.core}; the shared machinery must not
 * depend back on it, or the two packages form a cycle. Reads resilience-core's main sources (the build runs tests in
 * the module's directory) for an import of a root-package type, or a root-package type named in full in code.
 */
class CorePackageDependencyTest {

    private static final Path MAIN = Path.of("src", "main", "java", "dev", "resilience");
    /** A type of the root package: {@code dev.resilience.} followed directly by a class name. */
    private static final Pattern ROOT_TYPE = Pattern.compile("\\bdev\\.resilience\\.[A-Z]");

    @Test
    void neitherCoreNorCoreInternalUsesTheRootPackage() throws IOException {
        List<Path> sources = javaFiles(MAIN.resolve("core"));
        assertThat(sources).as("sources of dev.resilience.core and dev.resilience.core.internal")
                .anyMatch(p -> p.endsWith(Path.of("core", "Registry.java")))
                .anyMatch(p -> p.endsWith(Path.of("core", "internal", "Validate.java")));
        List<String> offending = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (isComment(line)) {
                    continue;
                }
                if (ROOT_TYPE.matcher(line).find()) {
                    offending.add(MAIN.relativize(source) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(offending).as("uses of dev.resilience.<Type> in core").isEmpty();
    }

    @Test
    void theCheckRecognisesAnImportOfTheRootPackage() {
        assertThat(ROOT_TYPE.matcher("import dev.resilience.Policy;").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("import static dev.resilience.Resilience.compose;").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("class R<P extends dev.resilience.Policy> {").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("import dev.resilience.core.internal.Validate;").find()).isFalse();
        assertThat(ROOT_TYPE.matcher("import dev.resilience.deadline.Deadline;").find()).isFalse();
    }

    private static boolean isComment(String line) {
        return line.startsWith("*") || line.startsWith("/*") || line.startsWith("//");
    }

    private static List<Path> javaFiles(Path directory) throws IOException {
        assertThat(directory).as("run from the resilience-core module directory").isDirectory();
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
