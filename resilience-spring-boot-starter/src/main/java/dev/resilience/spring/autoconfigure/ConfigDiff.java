package dev.resilience.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Describes a change of config for the log, setting by setting ({@code limitForPeriod 10 -> 50}), from the two
 * configs' {@code toString()}: the core's configs print as {@code Name{setting=value, ...}} or
 * {@code Name[setting=value, ...]}. Anything else is shown whole, before and after.
 */
final class ConfigDiff {

    private ConfigDiff() {
    }

    static String describe(String from, String to) {
        Map<String, String> before = settings(from);
        Map<String, String> after = settings(to);
        if (before == null || after == null) {
            return from + " -> " + to;
        }
        List<String> changed = new ArrayList<>();
        after.forEach((setting, value) -> {
            String old = before.get(setting);
            if (!Objects.equals(old, value)) {
                changed.add(setting + " " + old + " -> " + value);
            }
        });
        return changed.isEmpty() ? from + " -> " + to : String.join(", ", changed);
    }

    /** @return the settings of a {@code Name{a=1, b=[x, y]}} text in order, or null if it is not one */
    private static Map<String, String> settings(String text) {
        int open = indexOfOpening(text);
        if (open < 0 || text.length() < open + 2) {
            return null;
        }
        String body = text.substring(open + 1, text.length() - 1);
        Map<String, String> settings = new LinkedHashMap<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            char c = i < body.length() ? body.charAt(i) : ',';
            if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String part = body.substring(start, i).trim();
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                settings.put(part.substring(0, eq), part.substring(eq + 1));
                start = i + 1;
            }
        }
        return settings;
    }

    private static int indexOfOpening(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                return i;
            }
            if (!Character.isJavaIdentifierPart(c)) {
                return -1;
            }
        }
        return -1;
    }
}
