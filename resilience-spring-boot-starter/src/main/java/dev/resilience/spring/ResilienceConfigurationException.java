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
                "Invalid value '" + value + "' for property '" + property + "': it must be " + allowed + ".",
                "Update '" + property + "' in your application configuration to a value that is " + allowed + ".");
    }
}
