package io.cogflow.model.sampling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NoiseScheduleTest {
    private static final NoiseSchedule SNR3 = NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0));
    private static final NoiseSchedule SNR1 = NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 1.0));

    @Test
    void alphasMatchTheSpecValues() {
        // docs/cogvideox.md §4, quoted to 4-5 digits
        assertThat(SNR3.alphaCumprod(0)).isCloseTo(0.99745, within(5e-6));
        assertThat(SNR3.alphaCumprod(19)).isCloseTo(0.9466, within(5e-5));
        assertThat(SNR3.alphaCumprod(499)).isCloseTo(0.0960, within(5e-5));
        assertThat(SNR3.alphaCumprod(979)).isCloseTo(2.72e-5, within(5e-8));
        assertThat(SNR3.alphaCumprod(999)).isZero();
        assertThat(SNR1.alphaCumprod(0)).isCloseTo(0.99915, within(5e-6));
        assertThat(SNR1.alphaCumprod(19)).isCloseTo(0.9810, within(5e-5));
        assertThat(SNR1.alphaCumprod(499)).isCloseTo(0.2424, within(5e-5));
        assertThat(SNR1.alphaCumprod(979)).isCloseTo(8.58e-5, within(5e-8));
        assertThat(SNR1.alphaCumprod(999)).isZero();
        assertThat(SNR3.trainTimesteps()).isEqualTo(1000);
        assertThat(SNR3.alphasCumprod()).hasSize(1000);
    }

    @Test
    void withoutTheZeroSnrRescaleTheLastAlphaStaysPositive() {
        SchedulerConfig c = SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0);
        NoiseSchedule plain = NoiseSchedule.of(new SchedulerConfig(c.className(), 1000, 0.00085, 0.012,
                "scaled_linear", 3.0, false, "trailing", "v_prediction", false, 0));
        assertThat(plain.alphaCumprod(999)).isGreaterThan(0);
        // set_alpha_to_one=false: past the end the reference falls back to ᾱ_0
        assertThat(plain.alphaCumprodOrFinal(-1)).isEqualTo(plain.alphaCumprod(0));
        assertThat(SNR3.alphaCumprodOrFinal(-1)).isEqualTo(1.0);
    }

    @Test
    void fiftyTrailingStepsRunFrom999To19() {
        long[] t = SNR3.timesteps(50);
        assertThat(t).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(t[i]).isEqualTo(999 - 20L * i);
        }
        assertThat(t[49]).isEqualTo(19);
    }

    @Test
    void stepCountsThatDoNotDivide1000FollowNumpyRounding() {
        // round(arange(1000, 0, -1000/6)) - 1: 1000, 833.3, 666.7, 500, 333.3, 166.7 → 999, 832, 666, 499, 332, 166
        assertThat(SNR3.timesteps(6)).containsExactly(999, 832, 666, 499, 332, 166);
        assertThat(SNR3.stride(6)).isEqualTo(166);
        assertThat(SNR3.timesteps(7)).containsExactly(999, 856, 713, 570, 428, 285, 142);
        // N = 48, i = 3: the ideal 1000 − 3·1000/48 = 937.5 would round to 938; numpy's
        // start + i·((start + step) − start) lands just below the half and gives 937, minus one
        assertThat(SNR3.timesteps(48)[3]).isEqualTo(936);
    }

    @Test
    void numpysSpuriousExtraStepIsDropped() {
        // numpy's arange yields 62 entries for N = 61, the last being timestep -1; we keep the first 61
        long[] t = SNR3.timesteps(61);
        assertThat(t).hasSize(61);
        assertThat(t[58]).isEqualTo(48);
        assertThat(t[59]).isEqualTo(32);
        assertThat(t[60]).isEqualTo(15);
    }

    @Test
    void oneStepAndAllSteps() {
        assertThat(SNR3.timesteps(1)).containsExactly(999);
        long[] all = SNR3.timesteps(1000);
        assertThat(all[0]).isEqualTo(999);
        assertThat(all[999]).isZero();
    }

    @Test
    void stepCountsOutsideTheTrainingRangeAreRefused() {
        assertThatThrownBy(() -> SNR3.timesteps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..1000").hasMessageContaining("got 0");
        assertThatThrownBy(() -> SNR3.timesteps(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..1000").hasMessageContaining("got 1001");
        assertThatThrownBy(() -> SNR3.alphaCumprod(1000)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
