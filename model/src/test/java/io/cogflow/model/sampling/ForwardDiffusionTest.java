package io.cogflow.model.sampling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ForwardDiffusionTest {
    private static final NoiseSchedule SNR3 = NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0));
    private static final ForwardDiffusion FD = new ForwardDiffusion(SNR3);
    private static final long[] TIMESTEPS = {0, 1, 19, 250, 499, 750, 979, 998, 999};

    private static float[] normals(long seed, int n) {
        float[] out = new float[n];
        new SeededNoise(seed).fill(out);
        return out;
    }

    @Test
    void x0IsRecoveredFromNoisedInputAndVelocity() {
        float[] x0 = normals(1, 512);
        float[] eps = normals(2, 512);
        float[] xt = new float[512];
        float[] v = new float[512];
        float[] back = new float[512];
        for (long t : TIMESTEPS) {
            FD.noise(x0, eps, t, xt);
            FD.velocity(x0, eps, t, v);
            FD.x0FromV(xt, v, t, back);
            for (int i = 0; i < x0.length; i++) {
                assertThat(back[i]).as("t=%d i=%d", t, i).isCloseTo(x0[i], within(1e-5f));
            }
        }
    }

    @Test
    void mseOnVelocityIsTheSnrWeightedMseOnX0() {
        // the spec's "w = 1/(1−ᾱ) ≡ MSE on v": for any predicted v̂, mean((x̂0−x0)²)/(1−ᾱ) = mean((v̂−v)²)
        float[] x0 = normals(3, 1024);
        float[] eps = normals(4, 1024);
        float[] vHat = normals(5, 1024);
        float[] xt = new float[1024];
        float[] v = new float[1024];
        float[] x0Hat = new float[1024];
        for (long t : TIMESTEPS) {
            FD.noise(x0, eps, t, xt);
            FD.velocity(x0, eps, t, v);
            FD.x0FromV(xt, vHat, t, x0Hat);
            double mseV = 0;
            double mseX0 = 0;
            for (int i = 0; i < x0.length; i++) {
                mseV += (double) (vHat[i] - v[i]) * (vHat[i] - v[i]);
                mseX0 += (double) (x0Hat[i] - x0[i]) * (x0Hat[i] - x0[i]);
            }
            mseV /= x0.length;
            mseX0 /= x0.length;
            double weighted = mseX0 / (1 - SNR3.alphaCumprod((int) t));
            assertThat(weighted).as("t=%d", t).isCloseTo(mseV, within(1e-4 * mseV));
        }
    }

    @Test
    void terminalTimestepIsPureNoiseAndVelocityIsMinusX0() {
        assertThat(SNR3.alphaCumprod(999)).isZero();
        float[] x0 = normals(6, 64);
        float[] eps = normals(7, 64);
        float[] xt = new float[64];
        float[] v = new float[64];
        FD.noise(x0, eps, 999, xt);
        FD.velocity(x0, eps, 999, v);
        for (int i = 0; i < 64; i++) {
            assertThat(xt[i]).isEqualTo(eps[i]);
            assertThat(v[i]).isEqualTo(-x0[i]);
        }
    }

    @Test
    void formulasMatchTheScheduleAtAMidTimestep() {
        double a = SNR3.alphaCumprod(499);
        float[] xt = new float[1];
        float[] v = new float[1];
        FD.noise(new float[] {2f}, new float[] {-1f}, 499, xt);
        FD.velocity(new float[] {2f}, new float[] {-1f}, 499, v);
        assertThat(xt[0]).isCloseTo((float) (Math.sqrt(a) * 2 - Math.sqrt(1 - a)), within(1e-6f));
        assertThat(v[0]).isCloseTo((float) (-Math.sqrt(a) - Math.sqrt(1 - a) * 2), within(1e-6f));
    }

    @Test
    void offsetNoiseAddsOneScaledScalarPerSample() {
        float[] eps = new float[6];
        ForwardDiffusion.offsetNoise(eps, 3, 0.1, new TapeNoise(new float[] {2f, -5f}));
        assertThat(eps).containsExactly(new float[] {0.2f, 0.2f, 0.2f, -0.5f, -0.5f, -0.5f}, within(1e-7f));
        float[] untouched = {1f, 2f};
        ForwardDiffusion.offsetNoise(untouched, 1, 0, target -> {
            throw new AssertionError("level 0 must not draw");
        });
        assertThat(untouched).containsExactly(1f, 2f);
        assertThatThrownBy(() -> ForwardDiffusion.offsetNoise(new float[5], 2, 0.1, new SeededNoise(0)))
                .hasMessageContaining("not a whole number of samples");
    }

    @Test
    void rejectsTimestepsOutsideTheSchedule() {
        float[] a = new float[1];
        assertThatThrownBy(() -> FD.noise(a, a, 1000, a)).hasMessageContaining("outside 0..999");
        assertThatThrownBy(() -> FD.velocity(a, a, -1, a)).hasMessageContaining("outside 0..999");
        assertThatThrownBy(() -> FD.noise(a, new float[2], 0, a)).hasMessageContaining("length mismatch");
    }
}
