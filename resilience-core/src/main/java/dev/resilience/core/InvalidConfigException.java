package dev.resilience.core;

/**
 * A configuration value outside its allowed range. Thrown by every config builder the moment the value
 * is set, and carries the setting's name (the camelCase of its property name), the rejected value and
 * the allowed range, so the Spring Boot starter can name the full property in its start-up failure.
 */
public class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final transient Object value;
    private final String allowed;

    /**
     * @param setting the builder method / camelCase property name, e.g. {@code slidingWindowSize}
     * @param value the rejected value
     * @param allowed what is allowed, e.g. {@code "between 1 and 100"}
     */
    public InvalidConfigException(String setting, Object value, String allowed) {
        super(setting + " must be " + allowed + ", but was " + value);
        this.setting = setting;
        this.value = value;
        this.allowed = allowed;
    }

    /** @return the setting's camelCase name */
    public String setting() {
        return setting;
    }

    /** @return the rejected value */
    public Object value() {
        return value;
    }

    /** @return the allowed range, in words */
    public String allowed() {
        return allowed;
    }
}
