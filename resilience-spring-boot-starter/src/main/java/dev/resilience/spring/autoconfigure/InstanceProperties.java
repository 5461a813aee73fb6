package dev.resilience.spring.autoconfigure;

/**
 * What every instance or shared config of any kind can set besides its pattern's own settings.
 */
public abstract class InstanceProperties {

    /**
     * Name of a shared config under {@code configs} whose values apply wherever this one sets nothing.
     * Unset: {@code configs.default}, then the built-in defaults.
     */
    private String baseConfig;

    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }
}
