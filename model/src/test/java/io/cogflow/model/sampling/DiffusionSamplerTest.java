package io.cogflow.model.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

    @Test
    void strengthPicksTheLastStepsOfTheGridAsDiffusersVideoToVideoDoes() {
        // diffusers: t_start = N − min(int(N·strength), N)
        assertThat(DiffusionSampler.firstStep(25, 1.0)).isZero();
        assertThat(DiffusionSampler.firstStep(25, 0.2)).isEqualTo(20);
        assertThat(DiffusionSampler.firstStep(25, 0.5)).isEqualTo(13);
        assertThat(DiffusionSampler.firstStep(50, 0.04)).isEqualTo(48);
        assertThatThrownBy(() -> DiffusionSampler.firstStep(25, 0.03)).hasMessageContaining("walks no step");
        for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> DiffusionSampler.firstStep(25, bad)).as("" + bad)
                    .hasMessageContaining("strength must be in (0, 1]");
        }
    }

    @Test
    void aTrajectoryJoiningPartWayWalksTheRestOfTheGrid() {
        long[] grid = SCHEDULE.timesteps(25);
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DDIM, SCHEDULE, 25, 20);
        assertThat(s.steps()).isEqualTo(25);
        assertThat(s.stepIndex()).isEqualTo(20);
        float[] x = {1f, -1f};
        for (int i = 20; i < 25; i++) {
            assertThat(s.timestep()).isEqualTo(grid[i]);
            s.step(x, new float[] {0f, 0f}, null);
        }
        assertThat(s.done()).isTrue();
        assertThatThrownBy(() -> DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 25, 25))
                .hasMessageContaining("first step must be in 0..24");
        assertThatThrownBy(() -> DiffusionSampler.create(SamplerKind.DDIM, SCHEDULE, 25, -1))
                .hasMessageContaining("first step");
    }

    @Test
    void dpmJoiningPartWayTakesAFirstOrderFirstStep() {
        // the reference has no previous x̂0 on the first step it takes, wherever that is: one draw, then two
        CountingNoise noise = new CountingNoise();
        DiffusionSampler s = DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 25, 15);
        float[] x = {0.5f, -0.25f};
        assertThat(s.predictedOriginal()).isNull();
        s.step(x, x.clone(), noise);
        assertThat(noise.fills).isEqualTo(1);
        assertThat(s.predictedOriginal()).isNotNull();
        s.step(x, x.clone(), noise);
        assertThat(noise.fills).isEqualTo(3);
        // the first-order update from t with zero noise: x' = m1·x − m2·x̂0, checked against the formula
        DiffusionSampler fresh = DiffusionSampler.create(SamplerKind.DPM, SCHEDULE, 25, 15);
        float[] y = {0.5f, -0.25f};
        float[] v = {0.2f, 0.1f};
        long t = fresh.timestep();
        fresh.step(y, v, new CountingNoise());
        double at = SCHEDULE.alphaCumprod((int) t);
        double ap = SCHEDULE.alphaCumprod((int) (t - 40));
        double h = Math.log(Math.sqrt(ap / (1 - ap))) - Math.log(Math.sqrt(at / (1 - at)));
        double m1 = Math.sqrt((1 - ap) / (1 - at)) * Math.exp(-h);
        double m2 = Math.expm1(-2 * h) * Math.sqrt(ap);
        double[] start = {0.5, -0.25};
        for (int i = 0; i < 2; i++) {
            double x0 = Math.sqrt(at) * start[i] - Math.sqrt(1 - at) * v[i];
            assertThat((double) y[i]).isCloseTo(m1 * start[i] - m2 * x0, within(1e-5));
        }
    }
}
