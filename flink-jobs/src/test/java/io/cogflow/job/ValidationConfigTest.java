package io.cogflow.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validation section: safe defaults, what a file sets, and what it may not set. */
class ValidationConfigTest {
    @Test
    void defaults() {
        JobConfig.Validation v = JobConfig.parse("{}").validation();
        assertThat(v).isEqualTo(JobConfig.Validation.defaults());
        // record, id, prompt chars and bytes, negative prompt chars and bytes, metadata entries and bytes, steps,
        // guidance, fps, priority
        assertThat(v).isEqualTo(new JobConfig.Validation(65536, 256, 2000, 8000, 2000, 8000, 32, 4096, 100, 30, 60,
                1000));
    }

    @Test
    void aFileSetsSomeAndTheRestKeepTheirDefaults() {
        JobConfig.Validation v = JobConfig.parse("validation: {max_prompt_chars: 500, max_steps: 50}").validation();
        assertThat(v.maxPromptChars()).isEqualTo(500);
        assertThat(v.maxSteps()).isEqualTo(50);
        assertThat(v.maxPromptBytes()).isEqualTo(8000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_steps: 1001", "max_steps: -1", "max_fps: 121", "max_record_bytes: 9000000",
            "max_guidance: 101", "max_guidance: -1", "max_guidance: 1e400", "max_request_id_bytes: 5000"})
    void unsupportedValuesAreRefusedNamingTheKey(String setting) {
        String key = setting.substring(0, setting.indexOf(':'));
        assertThatThrownBy(() -> JobConfig.parse("validation: {" + setting + "}"))
                .hasMessageContaining("validation." + key);
    }

    /** In-flight state is bounded in bytes: a config whose limits could exceed the budget is refused. */
    @Test
    void theInFlightRequestsMustFitTheByteBudget() {
        assertThatThrownBy(() -> JobConfig.parse("validation: {max_record_bytes: 8388608}"))
                .hasMessageContaining("generation.max_in_flight_per_slot (16)")
                .hasMessageContaining("validation.max_record_bytes (8388608")
                .hasMessageContaining("generation.max_in_flight_bytes (67108864)");
        // either fewer requests in flight, or a larger budget
        assertThat(JobConfig.parse("""
                validation: {max_record_bytes: 8388608}
                generation: {max_in_flight_per_slot: 3}
                """).generation().maxInFlightPerSlot()).isEqualTo(3);
        assertThat(JobConfig.parse("""
                validation: {max_record_bytes: 8388608}
                generation: {max_in_flight_bytes: 300000000}
                """).generation().maxInFlightBytes()).isEqualTo(300_000_000L);
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> JobConfig.parse("validation: {max_prompt_length: 5}"))
                .hasMessageContaining("max_prompt_length");
    }
}
