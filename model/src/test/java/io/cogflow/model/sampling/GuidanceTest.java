package io.cogflow.model.sampling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GuidanceTest {

    @Test
    void dynamicScaleFollowsTheTimestepValueNotTheStepIndex() {
        // reference: 1 + g·(1 − cos(π·((N − t)/N)^5))/2 evaluated in Python for g = 6, N = 50, t = 999, 979, …
        double[] expected = {2.291487174551452, 2.5435028667646318, 6.974351832175483, 6.4203584231448385,
                2.7880975291587946, 4.271941930642674, 1.0375977177407565, 4.170400179868173};
        long[] t = NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DPM, 1.0)).timesteps(50);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Guidance.dynamicScale(6, t[i], 50)).as("t=" + t[i]).isCloseTo(expected[i], within(1e-12));
        }
        // the spec's rounded quote: 2.29, 2.54, 6.97, 6.42, 2.79, 4.27, 1.04
        assertThat(Guidance.dynamicScale(6, 999, 50)).isCloseTo(2.29, within(0.005));
        assertThat(Guidance.dynamicScale(6, 879, 50)).isCloseTo(1.04, within(0.005));
        // at t = N the phase is 0 and the scale is exactly 1
        assertThat(Guidance.dynamicScale(6, 50, 50)).isEqualTo(1.0);
        assertThatThrownBy(() -> Guidance.dynamicScale(6, 999, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void combineExtrapolatesFromUncondTowardsCond() {
        float[] uncond = {1f, -2f, 0.5f};
        float[] cond = {3f, -2f, -0.5f};
        float[] out = new float[3];
        Guidance.combine(uncond, cond, 6.0, out);
        assertThat(out).containsExactly(13f, -2f, -5.5f);
        Guidance.combine(uncond, cond, 1.0, out);
        assertThat(out).containsExactly(cond);
    }

    @Test
    void combineMayWriteOverEitherInput() {
        float[] uncond = {1f, 2f};
        float[] cond = {2f, 4f};
        Guidance.combine(uncond, cond, 2.0, uncond);
        assertThat(uncond).containsExactly(3f, 6f);
        float[] u2 = {1f, 2f};
        float[] c2 = {2f, 4f};
        Guidance.combine(u2, c2, 2.0, c2);
        assertThat(c2).containsExactly(3f, 6f);
        assertThatThrownBy(() -> Guidance.combine(new float[2], new float[3], 1, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("equal lengths");
    }
}
