package io.cogflow.model.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eight reference trajectories in {@code golden/schedulers/}: DDIM and DPM × snr shift 3 / 1 × 50 / 10 steps,
 * driven by the goldens' fake model and, for DPM, the recorded noise.
 */
class SchedulerGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> runs() throws IOException {
        List<String> names = new ArrayList<>();
        index().fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode index() throws IOException {
        return JSON.readTree(Golden.path("schedulers/index.json").toFile());
    }

    /**
     * v = 0.3·x + 0.1·sin(t/100): the sine term was evaluated in Python double precision and added as a float32
     * scalar (a float32 sin differs in the last bit and breaks bit-identity, though not the tolerance).
     */
    private static float[] fakeModel(float[] x, long t) {
        float bias = (float) (0.1 * Math.sin(t / 100.0));
        float[] v = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = 0.3f * x[i] + bias;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("runs")
    void trajectoryMatchesReference(String name) throws IOException {
        JsonNode run = index().get(name);
        ObjectNode configJson = ((ObjectNode) run.get("config").deepCopy());
        String className = name.substring(0, name.indexOf('_'));
        configJson.put("_class_name", className);
        SchedulerConfig config = SchedulerConfig.from(ConfigJson.parse(configJson.toString()));
        int steps = run.get("steps").asInt();

        try (SafetensorsFile golden = SafetensorsFile.open(Golden.path("schedulers/" + name + ".safetensors"))) {
            NoiseSchedule schedule = NoiseSchedule.of(config);
            double[] refAlphas = golden.readDoubles("alphas_cumprod");
            double alphaErr = maxAbsDiff(schedule.alphasCumprod(), refAlphas);
            assertThat(alphaErr).as(name + " alphas_cumprod").isLessThanOrEqualTo(1e-12);
            assertThat(schedule.timesteps(steps)).as(name + " timesteps")
                    .containsExactly(golden.readLongs("timesteps"));

            float[] samples = golden.readFloats("samples");
            int n = samples.length / (steps + 1);
            boolean dpm = config.defaultSampler() == SamplerKind.DPM;
            TapeNoise tape = dpm ? new TapeNoise(golden.readFloats("noise")) : null;
            float[] predOriginal = dpm ? golden.readFloats("pred_original") : null;

            DiffusionSampler sampler = DiffusionSampler.create(config.defaultSampler(), schedule, steps);
            float[] x = Arrays.copyOfRange(samples, 0, n);
            double worstSample = 0;
            double worstOriginal = 0;
            for (int i = 0; i < steps; i++) {
                assertThat(sampler.stepIndex()).isEqualTo(i);
                sampler.step(x, fakeModel(x, sampler.timestep()), tape);
                float[] ref = Arrays.copyOfRange(samples, (i + 1) * n, (i + 2) * n);
                worstSample = Math.max(worstSample, relativeMaxError(x, ref));
                if (dpm) {
                    float[] refX0 = Arrays.copyOfRange(predOriginal, i * n, (i + 1) * n);
                    worstOriginal = Math.max(worstOriginal, relativeMaxError(sampler.predictedOriginal(), refX0));
                }
            }
            assertThat(sampler.done()).isTrue();
            System.out.printf(Locale.ROOT, "%s: alphas_cumprod max|err| %.2e, samples max rel err %.2e%s%n", name,
                    alphaErr, worstSample, dpm ? String.format(Locale.ROOT, ", pred_original %.2e", worstOriginal)
                            : "");
            assertThat(worstSample).as(name + " samples").isLessThanOrEqualTo(1e-5);
            assertThat(worstOriginal).as(name + " pred_original").isLessThanOrEqualTo(1e-5);
            // bit-identical today; the tighter bound catches a switch to float64 updates (~5e-7 drift)
            assertThat(Math.max(worstSample, worstOriginal)).as(name + ": float32 update as the reference's")
                    .isLessThan(1e-7);
            if (dpm) {
                assertThat(tape.remaining()).as(name + ": every recorded draw consumed").isZero();
            }
        }
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** max |a − b| / max |ref|: the acceptance measure, relative to the sample's scale. */
    private static double relativeMaxError(float[] a, float[] ref) {
        assertThat(a).hasSameSizeAs(ref);
        double err = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.isFinite(a[i])).as("finite output").isTrue();
            err = Math.max(err, Math.abs((double) a[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return err / scale;
    }
}
