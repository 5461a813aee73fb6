package dev.resilience.test.spring;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceTestContextCustomizerFactoryTest {

    private final ResilienceTestContextCustomizerFactory factory = new ResilienceTestContextCustomizerFactory();

    @ResilienceTest
    static class Annotated {
    }

    static class Inherits extends Annotated {
    }

    @ResilienceTest(manualClock = false)
    static class RealClock {
    }

    static class Plain {
    }

    @Test
    void aTestClassWithoutTheAnnotationIsLeftAlone() {
        assertThat(factory.createContextCustomizer(Plain.class, List.of())).isNull();
    }

    @Test
    void equalSettingsGiveEqualCustomizersSoTheContextIsCachedOnce() {
        assertThat(factory.createContextCustomizer(Annotated.class, List.of()))
                .isNotNull()
                .isEqualTo(factory.createContextCustomizer(Inherits.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(RealClock.class, List.of()));
    }
}
