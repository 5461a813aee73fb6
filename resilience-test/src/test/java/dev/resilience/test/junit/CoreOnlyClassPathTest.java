package dev.resilience.test.junit;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The extension's tests run in their own Surefire execution, {@code core-only}, whose class path leaves out Spring and
 * the starter (see the module's pom): what a user of {@code resilience-core} alone has. This checks that the
 * exclusion holds, so that the other tests of this package prove the extension needs no Spring. Elsewhere (an IDE
 * run with the whole test class path) it does not apply and is skipped.
 */
@EnabledIfSystemProperty(named = "resilience.test.core-only", matches = "true")
class CoreOnlyClassPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.springframework.core.SpringVersion", "org.springframework.context.ApplicationContext",
            "org.springframework.test.context.TestContext", "org.springframework.boot.SpringApplication",
            "dev.resilience.spring.ResilienceRegistries"})
    void neitherSpringNorTheStarterIsOnTheClassPath(String className) {
        assertThatThrownBy(() -> Class.forName(className, false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
