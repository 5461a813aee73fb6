import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results (the files in {@code results/runN/}) into the Markdown tables of benchmarks/README.md, so a
 * reader can regenerate every figure the README cites. Needs only a JDK (11 or later runs a single source file):
 *
 * <pre>
 * java benchmarks/ResultsTable.java benchmarks/results/run16/t1.json benchmarks/results/run16/t2.json \
 *      --gc benchmarks/results/run16/gc.json
 * java benchmarks/ResultsTable.java --forks benchmarks/results/run13/annotated-f8.json
 * java benchmarks/ResultsTable.java --before benchmarks/results/run17/suite-before.json \
 *      benchmarks/results/run17/suite-after.json
 * </pre>
 *
 * <p>Default mode: one row per benchmark class, variant and thread count, with ours, Resilience4j's and Failsafe's
 * mean ± 99.9 % error (JMH's), the ratios ours/theirs, and bytes per call from the {@code --gc} files (or from the
 * result files themselves when they were run with {@code -prof gc}). A method named {@code ours<Variant>} is paired
 * with {@code resilience4j<Variant>} (or {@code resilience4jAspect<Variant>}) and {@code failsafe<Variant>}; any other
 * method (a floor such as {@code unprotected}) gets a row of its own in the "ours" column.
 *
 * <p>{@code --forks} mode: for multi-fork runs, one row per method with the mean ± error, the median of all
 * iterations, and the range of the fork medians.
 *
 * <p>{@code --before} mode: the same benchmarks measured on two versions of the code, one row per benchmark method and
 * thread count found in both files (the {@code --before} file first), with each side's mean ± error, the ratio
 * after/before, whether the two confidence intervals overlap (if they do, the difference is within JMH's error), and
 * bytes per call when the runs used {@code -prof gc}.
 */
public final class ResultsTable {

    private static final String PACKAGE = "dev.resilience.benchmarks.";

    public static void main(String[] args) throws IOException {
        List<Path> results = new ArrayList<>();
        List<Path> gc = new ArrayList<>();
        Path before = null;
        boolean forks = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gc" -> gc.add(Path.of(args[++i]));
                case "--forks" -> forks = true;
                case "--before" -> before = Path.of(args[++i]);
                default -> results.add(Path.of(args[i]));
            }
        }
        if (results.isEmpty()) {
            System.err.println("usage: java ResultsTable.java [--forks] result.json... [--gc gc.json]...\n"
                    + "       java ResultsTable.java --before before.json after.json");
            System.exit(2);
        }
        if (before != null) {
            printBeforeAfter(read(before), read(results.get(0)));
            return;
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Path path : results) {
            runs.addAll(read(path));
        }
        if (forks) {
            printForks(runs);
        } else {
            Map<String, Double> bytes = new TreeMap<>();
            for (Path path : gc) {
                collectBytes(read(path), bytes);
            }
            collectBytes(runs, bytes);
            printComparison(runs, bytes);
        }
    }

    /** One row of the comparison table: a class, a variant of its methods, a thread count. */
    private record RowKey(String benchmarkClass, String variant, int threads) {
        String label() {
            return variant.isEmpty() ? benchmarkClass : benchmarkClass + " " + variant;
        }
    }

    private static void printComparison(List<Map<String, Object>> runs, Map<String, Double> bytes) {
        Map<RowKey, Map<String, Map<String, Object>>> rows = new LinkedHashMap<>();
        Map<RowKey, Map<String, String>> methods = new LinkedHashMap<>();
        runs.sort((a, b) -> Integer.compare(threads(a), threads(b)));
        for (Map<String, Object> run : runs) {
            String[] classAndMethod = classAndMethod(run);
            String[] sideAndVariant = sideAndVariant(classAndMethod[1]);
            RowKey key = new RowKey(trim(classAndMethod[0]), sideAndVariant[1], threads(run));
            rows.computeIfAbsent(key, k -> new TreeMap<>()).put(sideAndVariant[0], run);
            methods.computeIfAbsent(key, k -> new TreeMap<>()).put(sideAndVariant[0], classAndMethod[0] + "." + classAndMethod[1]);
        }
        System.out.println("| benchmark | threads | ours ns/op | Resilience4j ns/op | Failsafe ns/op | ours/R4j | ours/Failsafe | B/op ours / R4j / Failsafe |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<RowKey, Map<String, Map<String, Object>>> row : rows.entrySet()) {
            Map<String, Map<String, Object>> sides = row.getValue();
            Map<String, String> names = methods.get(row.getKey());
            Map<String, Object> ours = sides.get("ours");
            Map<String, Object> r4j = sides.get("resilience4j");
            Map<String, Object> failsafe = sides.get("failsafe");
            System.out.println("| " + row.getKey().label()
                    + " | " + row.getKey().threads()
                    + " | " + scoreWithError(ours)
                    + " | " + scoreWithError(r4j)
                    + " | " + scoreWithError(failsafe)
                    + " | " + ratio(ours, r4j)
                    + " | " + ratio(ours, failsafe)
                    + " | " + bytesColumn(names, bytes) + " |");
        }
    }

    private static void printBeforeAfter(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        Map<String, Map<String, Object>> earlier = new LinkedHashMap<>();
        for (Map<String, Object> run : before) {
            earlier.put(run.get("benchmark") + "/" + threads(run), run);
        }
        System.out.println("| benchmark | threads | before ns/op | after ns/op | after/before | intervals overlap | B/op before / after |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map<String, Object> run : after) {
            Map<String, Object> old = earlier.get(run.get("benchmark") + "/" + threads(run));
            if (old == null) {
                continue;
            }
            String[] classAndMethod = classAndMethod(run);
            System.out.println("| " + trim(classAndMethod[0]) + "." + classAndMethod[1]
                    + " | " + threads(run)
                    + " | " + scoreWithError(old)
                    + " | " + scoreWithError(run)
                    + " | " + ratio(run, old)
                    + " | " + (overlap(old, run) ? "yes" : "**no**")
                    + " | " + bytes(old) + " / " + bytes(run) + " |");
        }
    }

    private static boolean overlap(Map<String, Object> a, Map<String, Object> b) {
        double[] x = interval(a);
        double[] y = interval(b);
        return x[0] <= y[1] && y[0] <= x[1];
    }

    private static double[] interval(Map<String, Object> run) {
        Map<String, Object> metric = map(run.get("primaryMetric"));
        double score = ((Number) metric.get("score")).doubleValue();
        Object error = metric.get("scoreError");
        double e = error instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0.0;
        return new double[] {score - e, score + e};
    }

    private static String bytes(Map<String, Object> run) {
        Object secondary = run.get("secondaryMetrics");
        Object norm = secondary == null ? null : map(secondary).get("gc.alloc.rate.norm");
        return norm == null ? "?" : String.valueOf(Math.round(((Number) map(norm).get("score")).doubleValue()));
    }

    private static void printForks(List<Map<String, Object>> runs) {
        System.out.println("| benchmark | threads | forks | ns/op (mean ± 99.9 % CI) | median of the iterations | range of fork medians |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map<String, Object> run : runs) {
            String[] classAndMethod = classAndMethod(run);
            List<Double> all = new ArrayList<>();
            List<Double> forkMedians = new ArrayList<>();
            for (Object fork : list(map(run.get("primaryMetric")).get("rawData"))) {
                List<Double> iterations = new ArrayList<>();
                for (Object value : list(fork)) {
                    iterations.add(((Number) value).doubleValue());
                }
                all.addAll(iterations);
                forkMedians.add(median(iterations));
            }
            forkMedians.sort(Double::compare);
            System.out.println("| " + trim(classAndMethod[0]) + "." + classAndMethod[1]
                    + " | " + threads(run)
                    + " | " + forkMedians.size()
                    + " | " + scoreWithError(run)
                    + " | " + number(median(all))
                    + " | " + number(forkMedians.get(0)) + " – " + number(forkMedians.get(forkMedians.size() - 1)) + " |");
        }
    }

    private static void collectBytes(List<Map<String, Object>> runs, Map<String, Double> bytes) {
        for (Map<String, Object> run : runs) {
            Object secondary = run.get("secondaryMetrics");
            if (secondary == null) {
                continue;
            }
            Object norm = map(secondary).get("gc.alloc.rate.norm");
            if (norm != null) {
                String[] classAndMethod = classAndMethod(run);
                bytes.put(classAndMethod[0] + "." + classAndMethod[1], ((Number) map(norm).get("score")).doubleValue());
            }
        }
    }

    private static String bytesColumn(Map<String, String> names, Map<String, Double> bytes) {
        List<String> parts = new ArrayList<>();
        for (String side : List.of("ours", "resilience4j", "failsafe")) {
            String name = names.get(side);
            if (name != null && bytes.containsKey(name)) {
                parts.add(String.valueOf(Math.round(bytes.get(name))));
            } else if (name != null) {
                parts.add("?");
            }
        }
        return parts.stream().allMatch("?"::equals) ? "" : String.join(" / ", parts);
    }

    /** {@code oursAssembledOnce} → ["ours", "AssembledOnce"]; {@code resilience4jAspect} → ["resilience4j", ""]. */
    private static String[] sideAndVariant(String method) {
        for (String side : List.of("ours", "resilience4j", "failsafe")) {
            if (method.startsWith(side)) {
                String variant = method.substring(side.length());
                if (side.equals("resilience4j") && variant.startsWith("Aspect")) {
                    variant = variant.substring("Aspect".length());
                }
                return new String[] {side, variant};
            }
        }
        return new String[] {"ours", "(" + method + ")"};
    }

    private static String[] classAndMethod(Map<String, Object> run) {
        String name = (String) run.get("benchmark");
        int dot = name.lastIndexOf('.');
        String className = name.substring(0, dot);
        if (className.startsWith(PACKAGE)) {
            className = className.substring(PACKAGE.length());
        }
        return new String[] {className, name.substring(dot + 1)};
    }

    private static String trim(String className) {
        return className.endsWith("Benchmark") ? className.substring(0, className.length() - "Benchmark".length()) : className;
    }

    private static int threads(Map<String, Object> run) {
        return ((Number) run.get("threads")).intValue();
    }

    private static String scoreWithError(Map<String, Object> run) {
        if (run == null) {
            return "n/a";
        }
        Map<String, Object> metric = map(run.get("primaryMetric"));
        double score = ((Number) metric.get("score")).doubleValue();
        Object error = metric.get("scoreError");
        return error instanceof Number n && !Double.isNaN(n.doubleValue())
                ? number(score) + " ± " + number(n.doubleValue())
                : number(score);
    }

    private static String ratio(Map<String, Object> ours, Map<String, Object> theirs) {
        if (ours == null || theirs == null) {
            return "n/a";
        }
        double a = ((Number) map(ours.get("primaryMetric")).get("score")).doubleValue();
        double b = ((Number) map(theirs.get("primaryMetric")).get("score")).doubleValue();
        return String.format(Locale.ROOT, "%.2fx", a / b);
    }

    /** One decimal under 1,000; whole numbers with a thousands comma from 1,000 on (as the README writes them). */
    private static String number(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> read(Path path) throws IOException {
        Object parsed = new Json(Files.readString(path)).value();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Object run : (List<Object>) parsed) {
            runs.add((Map<String, Object>) run);
        }
        return runs;
    }

    /** Just enough JSON for JMH's output: objects, arrays, strings, numbers (including "NaN"), booleans, null. */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    at += 4;
                    return Boolean.TRUE;
                case 'f':
                    at += 5;
                    return Boolean.FALSE;
                case 'n':
                    at += 4;
                    return null;
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> result = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (text.charAt(at) == '}') {
                at++;
                return result;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                result.put(key, value());
                skipSpace();
                if (text.charAt(at++) == '}') {
                    return result;
                }
            }
        }

        private List<Object> array() {
            List<Object> result = new ArrayList<>();
            at++;
            skipSpace();
            if (text.charAt(at) == ']') {
                at++;
                return result;
            }
            while (true) {
                result.add(value());
                skipSpace();
                if (text.charAt(at++) == ']') {
                    return result;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder result = new StringBuilder();
            while (text.charAt(at) != '"') {
                char c = text.charAt(at++);
                if (c == '\\') {
                    char escaped = text.charAt(at++);
                    switch (escaped) {
                        case 'n' -> result.append('\n');
                        case 't' -> result.append('\t');
                        case 'u' -> {
                            result.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> result.append(escaped);
                    }
                } else {
                    result.append(c);
                }
            }
            at++;
            return result.toString();
        }

        private Object number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eEaNInfity".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String token = text.substring(start, at);
            return token.equals("NaN") ? Double.NaN : Double.parseDouble(token);
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalStateException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private void skipSpace() {
            while (Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
