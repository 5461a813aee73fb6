package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root package {@code dev.resilience} builds on {@code dev.resilience.core}; the shared machinery must not
 * depend back on it, or the two packages form a cycle. Reads resilience-core's main sources (the build runs tests in
 * the module's directory) for an import of a root-package type, or a root-package type named in full in code.
 *
 * <p>Nor may the root package depend on a package that depends back on it, directly or through others: the policy
 * packages ({@code retry}, {@code bulkhead}, ...) build on the root's {@code Policy} and exceptions, so the root must
 * reach them only through interfaces of its own.
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
    void theRootPackageIsOnNoPackageCycle() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).as("packages of resilience-core").containsKeys(ROOT, "dev.resilience.retry",
                "dev.resilience.bulkhead", "dev.resilience.core");
        List<String> cycles = new ArrayList<>();
        for (String dependency : graph.get(ROOT)) {
            List<String> back = path(graph, dependency, ROOT);
            if (back != null) {
                cycles.add(ROOT + " -> " + String.join(" -> ", back));
            }
        }
        assertThat(cycles).as("package cycles through " + ROOT).isEmpty();
    }

    @Test
    void theGraphSeesImportsAndTypesNamedInFull() {
        assertThat(referencedPackages("import dev.resilience.retry.Retry;")).containsExactly("dev.resilience.retry");
        assertThat(referencedPackages("import static dev.resilience.Resilience.compose;")).containsExactly(ROOT);
        assertThat(referencedPackages("if (p instanceof dev.resilience.bulkhead.ThreadPoolBulkhead b) {"))
                .containsExactly("dev.resilience.bulkhead");
        assertThat(referencedPackages("import dev.resilience.core.internal.*;")).containsExactly("dev.resilience.core.internal");
    }

    @Test
    void theCheckRecognisesAnImportOfTheRootPackage() {
        assertThat(ROOT_TYPE.matcher("import dev.resilience.Policy;").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("import static dev.resilience.Resilience.compose;").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("class R<P extends dev.resilience.Policy> {").find()).isTrue();
        assertThat(ROOT_TYPE.matcher("import dev.resilience.core.internal.Validate;").find()).isFalse();
        assertThat(ROOT_TYPE.matcher("import dev.resilience.deadline.Deadline;").find()).isFalse();
    }

    private static final String ROOT = "dev.resilience";
    /** A reference to a type (or every type) of a package of ours: the package is group 1. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.resilience(?:\\.[a-z][a-z0-9_]*)*)\\.(?:[A-Z]|\\*)");

    private static Set<String> referencedPackages(String line) {
        Set<String> packages = new LinkedHashSet<>();
        Matcher matcher = REFERENCE.matcher(line);
        while (matcher.find()) {
            packages.add(matcher.group(1));
        }
        return packages;
    }

    /** @return each package of the main sources with the other packages of ours its code refers to */
    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path source : javaFiles(MAIN)) {
            String pkg = (ROOT + "." + MAIN.relativize(source.getParent())).replace(java.io.File.separatorChar, '.');
            if (source.getParent().equals(MAIN)) {
                pkg = ROOT;
            }
            Set<String> dependencies = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String line : Files.readAllLines(source)) {
                String trimmed = line.trim();
                if (!isComment(trimmed) && !trimmed.startsWith("package ")) {
                    dependencies.addAll(referencedPackages(trimmed));
                }
            }
            dependencies.remove(pkg);
        }
        return graph;
    }

    /** @return the packages on a way from {@code from} to {@code to} (both included), or null if there is none */
    private static List<String> path(Map<String, Set<String>> graph, String from, String to) {
        Map<String, String> reachedFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        reachedFrom.put(from, from);
        while (!queue.isEmpty()) {
            String pkg = queue.poll();
            if (pkg.equals(to)) {
                List<String> way = new ArrayList<>();
                for (String at = to; ; at = reachedFrom.get(at)) {
                    way.add(0, at);
                    if (at.equals(from)) {
                        return way;
                    }
                }
            }
            for (String next : graph.getOrDefault(pkg, Set.of())) {
                if (reachedFrom.putIfAbsent(next, pkg) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
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
