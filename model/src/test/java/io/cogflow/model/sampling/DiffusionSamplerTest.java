package io.cogflow.model.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trajectory contract, independent of the goldens. */
class DiffusionSamplerTest {
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0));

    /** Counts draws and hands out zeros, so a DPM run becomes deterministic. */
    private static final class CountingNoise implements NoiseSource {
        int fills;
        long draws;

        @Override
        public void fill(float[] target) {
            fills++;
            draws += target.length;
            Arrays.fill(target, 0f);
        }
    }

    @Test
    void aSamplerVisitsItsTimestepsThenIsDone() {
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DDIM, SCHEDULE, 10);
        assertThat(s.steps()).isEqualTo(10);
        assertThat(s.predictedOriginal()).isNull();
        float[] x = {1f, -1f};
        for (long expected : SCHEDULE.timesteps(10)) {
            assertThat(s.done()).isFalse();
            assertThat(s.timestep()).isEqualTo(expected);
            s.step(x, new float[]{0f, 0f}, null);
        }
        assertThat(s.done()).isTrue();
        assertThat(s.stepIndex()).isEqualTo(10);
        assertThatThrownBy(s::timestep).isInstanceOf(IllegalStateException.class).hasMessageContaining("done");
        assertThatThrownBy(() -> s.step(x, x, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mismatchedOrChangingSizesAreRefused() {
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DDIM, SCHEDULE, 10);
        assertThatThrownBy(() -> s.step(new float[2], new float[3], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model output");
        s.step(new float[2], new float[2], null);
        assertThatThrownBy(() -> s.step(new float[3], new float[3], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size changed");
        assertThatThrownBy(() -> DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 10).step(new float[2], new float[2], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise source");
    }

    @Test
    void dpmDrawsOnceOnTheFirstAndLastStepAndTwiceInBetween() {
        CountingNoise noise = new CountingNoise();
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 50);
        float[] x = new float[5];
        Arrays.fill(x, 1f);
        while (!s.done()) {
            s.step(x, x.clone(), noise);
        }
        assertThat(noise.fills).isEqualTo(98);
        assertThat(noise.draws).isEqualTo(98L * 5);
    }

    @Test
    void whenTheStepCountDoesNotDivide1000TheLastStepLandsOnTimestepZero() {
        // N = 6 steps 166 apart: 166 → 0 is an ordinary (second-order for DPM) step, not the ᾱ = 1 end,
        // so DPM draws twice on it too (the reference pipeline's 11 draws) and the result is not x̂0
        CountingNoise noise = new CountingNoise();
        DiffusionSampler dpm = DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 6);
        DiffusionSampler ddim = DiffusionSampler.create(SamplerKind.DDIM, SCHEDULE, 6);
        float[] x = {0.5f, -0.25f, 1f};
        float[] y = x.clone();
        while (!dpm.done()) {
            dpm.step(x, x.clone(), noise);
            ddim.step(y, y.clone(), null);
        }
        assertThat(noise.fills).isEqualTo(11);
        assertThat(y).isNotEqualTo(ddim.predictedOriginal());
        // ᾱ_0 < 1: DDIM's last coefficients a = √((1−ᾱ_0)/(1−ᾱ_166)) > 0
        assertThat(x).isNotEqualTo(dpm.predictedOriginal());
    }

    @Test
    void stepsEndingPastZeroReturnThePredictedOriginal() {
        // N = 1: t = 999 → −1 with ᾱ = 1, so both samplers return x̂0 (DPM with a zero noise coefficient)
        for (SamplerKind kind : SamplerKind.values()) {
            DiffusionSampler s = DiffusionSampler.create(kind, SCHEDULE, 1);
            float[] x = {0.5f, -2f};
            s.step(x, new float[]{0.1f, 0.3f}, new SeededNoise(1));
            // ᾱ_999 = 0: x̂0 = −v
            assertThat(x).as(kind.name()).containsExactly(-0.1f, -0.3f);
            assertThat(s.predictedOriginal()).containsExactly(x);
            assertThat(s.done()).isTrue();
        }
    }

    @Test
    void theFirstDpmStepRenoisesThePredictedOriginal() {
        // at t = 999, λ = −∞ and h = +∞: x_{t'} = √ᾱ_{t'}·x̂0 + √(1−ᾱ_{t'})·ε, no NaN from the infinities
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 50);
        float[] x = {0.5f, -2f};
        float[] eps = {1f, -1f};
        s.step(x, new float[]{0.1f, 0.3f}, new TapeNoise(eps));
        double a = SCHEDULE.alphaCumprod(979);
        float ca = (float) Math.sqrt(a);
        float cn = (float) Math.sqrt(1 - a);
        assertThat(x).containsExactly(ca * -0.1f + cn * 1f, ca * -0.3f + cn * -1f);
    }
}
