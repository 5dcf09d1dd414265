package io.cogflow.model.sampling;

import io.cogflow.model.config.ConfigJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerConfigTest {
    /** THUDM/CogVideoX-2b scheduler/scheduler_config.json (diffusers 0.30 era, as published). */
    private static final String HF_2B = """
            {
              "_class_name": "CogVideoXDDIMScheduler",
              "_diffusers_version": "0.30.0.dev0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "clip_sample": false,
              "clip_sample_range": 1.0,
              "num_train_timesteps": 1000,
              "prediction_type": "v_prediction",
              "rescale_betas_zero_snr": true,
              "sample_max_value": 1.0,
              "set_alpha_to_one": true,
              "snr_shift_scale": 3.0,
              "steps_offset": 0,
              "timestep_spacing": "trailing",
              "trained_betas": null
            }
            """;

    @TempDir
    Path dir;

    @Test
    void readsAPublishedConfigFileOrFolder() throws IOException {
        Files.createDirectories(dir.resolve("scheduler"));
        Path file = dir.resolve("scheduler").resolve("scheduler_config.json");
        Files.writeString(file, HF_2B);
        SchedulerConfig expected = SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0);
        assertThat(SchedulerConfig.load(file)).isEqualTo(expected);
        assertThat(SchedulerConfig.load(dir)).as("model root").isEqualTo(expected);
        assertThat(SchedulerConfig.load(dir.resolve("scheduler"))).as("scheduler folder").isEqualTo(expected);
        assertThat(expected.defaultSampler()).isEqualTo(SamplerKind.DDIM);
        assertThatThrownBy(() -> SchedulerConfig.load(dir.resolve("scheduler").resolve("nothing")))
                .hasMessageContaining("not found");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> SchedulerConfig.load(empty)).hasMessageContaining("no scheduler/scheduler_config.json");
    }

    @Test
    void theDpmClassSelectsTheDpmSampler() {
        SchedulerConfig c = SchedulerConfig.from(ConfigJson.parse(HF_2B
                .replace("CogVideoXDDIMScheduler", "CogVideoXDPMScheduler").replace("3.0", "1.0")));
        assertThat(c.defaultSampler()).isEqualTo(SamplerKind.DPM);
        assertThat(c.snrShiftScale()).isEqualTo(1.0);
    }

    @Test
    void missingKeysTakeTheDiffusersDefaults() {
        SchedulerConfig c = SchedulerConfig.from(ConfigJson.parse("""
                {"prediction_type": "v_prediction", "timestep_spacing": "trailing"}"""));
        assertThat(c.className()).isEqualTo(SchedulerConfig.DDIM_CLASS);
        assertThat(c.numTrainTimesteps()).isEqualTo(1000);
        assertThat(c.betaStart()).isEqualTo(0.00085);
        assertThat(c.betaEnd()).isEqualTo(0.012);
        assertThat(c.betaSchedule()).isEqualTo("scaled_linear");
        assertThat(c.snrShiftScale()).isEqualTo(3.0);
        assertThat(c.rescaleBetasZeroSnr()).isFalse();
        assertThat(c.setAlphaToOne()).isTrue();
        assertThat(c.stepsOffset()).isZero();
    }

    @Test
    void wrongTypesNameTheKey() {
        assertThatThrownBy(() -> SchedulerConfig.from(ConfigJson.parse(HF_2B.replace("\"snr_shift_scale\": 3.0",
                "\"snr_shift_scale\": \"3\""))))
                .hasMessageContaining("'snr_shift_scale' must be a number");
        assertThatThrownBy(() -> SchedulerConfig.from(ConfigJson.parse(HF_2B.replace("\"num_train_timesteps\": 1000",
                "\"num_train_timesteps\": 1000.5"))))
                .hasMessageContaining("'num_train_timesteps' must be an integer");
        assertThatThrownBy(() -> SchedulerConfig.from(ConfigJson.parse(HF_2B.replace(
                "\"rescale_betas_zero_snr\": true", "\"rescale_betas_zero_snr\": 1"))))
                .hasMessageContaining("'rescale_betas_zero_snr' must be true or false");
    }

    @Test
    void unsupportedSettingsAreRefusedWithTheKeyNamed() throws IOException {
        assertRefused("\"prediction_type\": \"v_prediction\"", "\"prediction_type\": \"epsilon\"",
                "'prediction_type' = 'epsilon' is not supported");
        assertRefused("\"timestep_spacing\": \"trailing\"", "\"timestep_spacing\": \"leading\"",
                "'timestep_spacing' = 'leading' is not supported");
        assertRefused("\"beta_schedule\": \"scaled_linear\"", "\"beta_schedule\": \"squaredcos_cap_v2\"",
                "'beta_schedule' = 'squaredcos_cap_v2' is not supported");
        assertRefused("CogVideoXDDIMScheduler", "DDIMScheduler", "'_class_name' = 'DDIMScheduler' is not supported");
        assertRefused("\"trained_betas\": null", "\"trained_betas\": [0.1, 0.2]", "'trained_betas' is not supported");
        assertRefused("\"snr_shift_scale\": 3.0", "\"snr_shift_scale\": 0", "'snr_shift_scale' must be a positive");
        assertRefused("\"beta_end\": 0.012", "\"beta_end\": 0.0001", "'beta_start' and 'beta_end'");
        // the message says which file
        assertRefused("\"prediction_type\": \"v_prediction\"", "\"prediction_type\": \"sample\"",
                "scheduler_config.json");
    }

    private void assertRefused(String from, String to, String message) throws IOException {
        assertThat(HF_2B).contains(from);
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, HF_2B.replace(from, to));
        assertThatThrownBy(() -> SchedulerConfig.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void samplerKindsParseCaseInsensitively() {
        assertThat(SamplerKind.parse("ddim")).isEqualTo(SamplerKind.DDIM);
        assertThat(SamplerKind.parse("DPM")).isEqualTo(SamplerKind.DPM);
        assertThat(SamplerKind.parse(" Dpm ")).isEqualTo(SamplerKind.DPM);
        assertThatThrownBy(() -> SamplerKind.parse("euler")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'euler'").hasMessageContaining("'ddim' or 'dpm'");
        assertThatThrownBy(() -> SamplerKind.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
