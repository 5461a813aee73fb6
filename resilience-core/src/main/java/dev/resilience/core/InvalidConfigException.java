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
    private final String relation;
    private final String relatedSetting;
    private final transient Object relatedValue;

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
        this.relation = null;
        this.relatedSetting = null;
        this.relatedValue = null;
    }

    /**
     * A value that is valid on its own but not beside another setting's, e.g. a maximum below its minimum.
     *
     * @param setting the builder method / camelCase property name of the rejected value
     * @param value the rejected value
     * @param relation how it must relate to the other setting, e.g. {@code "at least"}
     * @param relatedSetting the other setting's camelCase name, e.g. {@code waitDuration}
     * @param relatedValue the other setting's value
     */
    public InvalidConfigException(String setting, Object value, String relation, String relatedSetting, Object relatedValue) {
        super(setting + " must be " + relation + " " + relatedSetting + " (" + relatedValue + "), but was " + value);
        this.setting = setting;
        this.value = value;
        this.allowed = relation + " " + relatedSetting + " (" + relatedValue + ")";
        this.relation = relation;
        this.relatedSetting = relatedSetting;
        this.relatedValue = relatedValue;
    }

    /** @return the setting's camelCase name */
    public String setting() {
        return setting;
    }

    /** @return the rejected value */
    public Object value() {
        return value;
    }

    /** @return the allowed range, in words (naming the related setting and its value, if there is one) */
    public String allowed() {
        return allowed;
    }

    /**
     * @return for a value rejected beside another setting, how it must relate to it (e.g. {@code "at least"}), so
     *     that a caller can name that setting its own way; otherwise {@code null}
     */
    public String relation() {
        return relation;
    }

    /** @return the camelCase name of the setting the value must relate to, or {@code null} if it stands alone */
    public String relatedSetting() {
        return relatedSetting;
    }

    /** @return the value of {@link #relatedSetting()}, or {@code null} */
    public Object relatedValue() {
        return relatedValue;
    }
}
