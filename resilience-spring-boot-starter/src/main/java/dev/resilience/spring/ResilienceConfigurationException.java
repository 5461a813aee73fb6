package dev.resilience.spring;

/**
 * A mistake in how Resilience is configured or used, found at start-up: a property out of range, an
 * unknown {@code base-config}, an exception class that does not exist, a fallback that cannot match, an
 * annotation on a method it cannot apply to. {@link ResilienceFailureAnalyzer} turns it into Spring
 * Boot's "Description / Action" report.
 */
public class ResilienceConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * @param description what is wrong, naming the full property (or the bean and method), the bad value
     *     and what is allowed
     * @param action how to fix it
     */
    public ResilienceConfigurationException(String description, String action) {
        this(description, action, null);
    }

    /**
     * @param description what is wrong
     * @param action how to fix it
     * @param cause the underlying error, or {@code null}
     */
    public ResilienceConfigurationException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** @return how to fix it */
    public String action() {
        return action;
    }

    /**
     * @param property the full property name
     * @param value the bad value
     * @param allowed what is allowed
     * @return an exception naming all three
     */
    public static ResilienceConfigurationException invalidProperty(String property, Object value, String allowed) {
        return new ResilienceConfigurationException(
                "Invalid value '" + display(value) + "' for property '" + property + "': it must be " + allowed + ".",
                "Update '" + property + "' in your application configuration to a value that is " + allowed + ".");
    }

    /**
     * A bound property value as a user would write it in {@code application.yml}: a whole number without a
     * decimal point ({@code 150}, not {@code 150.0}), a duration in its largest whole unit ({@code 25s}, {@code 1500ms}).
     *
     * @param value a bound value
     * @return its display form
     */
    public static String display(Object value) {
        if ((value instanceof Double || value instanceof Float) && isWhole(((Number) value).doubleValue())) {
            return Long.toString(((Number) value).longValue());
        }
        if (value instanceof java.time.Duration duration) {
            return display(duration);
        }
        return String.valueOf(value);
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15;
    }

    private static String display(java.time.Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000 != 0 || duration.getSeconds() > Long.MAX_VALUE / 1_000_000_000L) {
            return duration.toString();
        }
        long nanos = duration.toNanos();
        long[] units = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"d", "h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (nanos % units[i] == 0 && nanos != 0) {
                return nanos / units[i] + names[i];
            }
        }
        return nanos == 0 ? "0s" : duration.toString();
    }
}
