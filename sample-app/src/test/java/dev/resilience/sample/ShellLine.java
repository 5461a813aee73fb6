package dev.resilience.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a README {@code sh} block, split the way a POSIX shell would split it (single and double
 * quotes, {@code #} comments), with what the comment promises: the HTTP status of every request the line
 * makes, and fragments (in backquotes) every answer must contain.
 *
 * @param text the line as written
 * @param words the command's words, quotes removed, without the comment and a trailing {@code &}
 * @param background whether the line ends with {@code &}
 * @param expectedStatuses the 3-digit numbers the comment starts with
 * @param expectedFragments the backquoted parts of the comment
 */
record ShellLine(String text, List<String> words, boolean background, List<Integer> expectedStatuses,
        List<String> expectedFragments) {

    private static final Pattern STATUSES = Pattern.compile("^\\s*((?:\\d{3}\\b\\s*)+)");
    private static final Pattern FRAGMENT = Pattern.compile("`([^`]+)`");

    /**
     * @param text one line of a shell script
     * @return its words and promises
     * @throws IllegalArgumentException for an unterminated quote
     */
    static ShellLine parse(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        String comment = "";
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("Unterminated " + c + " in: " + text);
                }
                word = word == null ? new StringBuilder() : word;
                word.append(text, i + 1, end);
                i = end + 1;
            } else if (Character.isWhitespace(c) || c == ';') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (c == ';') {
                    words.add(";");
                }
                i++;
            } else if (c == '#' && word == null) {
                comment = text.substring(i + 1);
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        boolean background = !words.isEmpty() && words.get(words.size() - 1).equals("&");
        if (background) {
            words.remove(words.size() - 1);
        }
        List<Integer> statuses = new ArrayList<>();
        Matcher statusMatcher = STATUSES.matcher(comment);
        if (statusMatcher.find()) {
            for (String status : statusMatcher.group(1).trim().split("\\s+")) {
                statuses.add(Integer.parseInt(status));
            }
        }
        List<String> fragments = new ArrayList<>();
        Matcher fragmentMatcher = FRAGMENT.matcher(comment);
        while (fragmentMatcher.find()) {
            fragments.add(fragmentMatcher.group(1));
        }
        return new ShellLine(text, List.copyOf(words), background, List.copyOf(statuses), List.copyOf(fragments));
    }
}
