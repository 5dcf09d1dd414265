package io.cogflow.model.pipeline;

import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request's video does not depend on how it was batched: alone, in a fixed batch, or stepped in a set that other
 * requests join and leave at step boundaries (continuous batching) — on the tiny golden components, exported.
 * Batches of other sizes may round differently inside the transformer, hence 1/255 on the 8-bit frames.
 */
class ContinuousBatchingInvarianceTest {
    private static final VideoSize SIZE = VideoSize.parse("64x64x9");
    /** DPM draws noise at every step, so a request that lost its place in its own noise would show. */
    private static final GenerationInput A = request("a red circle moving left", 6, 6.0, 7, SamplerKind.DPM);
    /** Without guidance: one row per step, where A has two. */
    private static final GenerationInput B = request("a blue square growing", 4, 1.0, 3, SamplerKind.DDIM);
    private static final GenerationInput C = request("a green triangle moving up", 5, 4.5, 2, SamplerKind.DPM);
    private static Path dir;
    private static VideoGenerator generator;
    private static Map<String, GeneratedVideo> alone;

    @BeforeAll
    static void export() throws IOException {
        dir = Files.createTempDirectory("cogflow-continuous-test");
        Path src = TinyModels.assemble(dir.resolve("src"), "cogvideox_5b_tiny");
        Path out = ModelExporter.export(src, dir.resolve("out"), new ExportOptions("float32", List.of(SIZE),
                AttentionBudget.DEFAULT)).dir();
        generator = VideoGenerator.load(out, SessionOptions.defaults());
        // TensorFlow compiles an XLA shape lazily, on its second run: before that a shape's first run computes
        // without XLA and rounds differently, so every shape these tests use (up to 3 requests) is compiled first
        generator.warmUp(3);
        alone = new HashMap<>();
        for (GenerationInput r : List.of(A, B, C)) {
            alone.put(r.id(), generator.generate(List.of(r), ProgressListener.NONE).get(0));
        }
    }

    @AfterAll
    static void close() {
        generator.close();
    }

    private static GenerationInput request(String prompt, int steps, double guidance, long seed, SamplerKind s) {
        return new GenerationInput(prompt, prompt, "", SIZE, steps, guidance, false, seed, s);
    }

    @Test
    void theVideosDifferSoTheComparisonsBelowCanFail() {
        byte[] a = alone.get(A.id()).frames().rgb();
        assertThat(a).isNotEqualTo(alone.get(B.id()).frames().rgb()).isNotEqualTo(alone.get(C.id()).frames().rgb());
        GenerationInput otherSeed = request(A.prompt(), A.steps(), A.guidance(), 8, A.sampler());
        byte[] reseeded = generator.generate(List.of(otherSeed), ProgressListener.NONE).get(0).frames().rgb();
        assertThat(FrameBytes.maxDiff(a, reseeded)).isGreaterThan(1);
        assertThat(FrameBytes.maxDiff(a, alone.get(B.id()).frames().rgb())).isGreaterThan(1);
    }

    @Test
    void aRequestGivesTheSameVideoInAFixedBatchOfThree() {
        List<GeneratedVideo> batch = generator.generate(List.of(C, A, B), ProgressListener.NONE);
        for (GeneratedVideo v : batch) {
            assertSameVideo("fixed batch of 3", v, alone.get(v.request().id()));
        }
    }

    @Test
    void aRequestGivesTheSameVideoWhenAnotherJoinsMidFlightAndLeavesFirst() {
        List<String> events = new ArrayList<>();
        Map<String, GeneratedVideo> out = new HashMap<>();
        List<RunningSample> running = new ArrayList<>(generator.prepare(List.of(A)));
        RunningSample a = running.get(0);
        assertThat(a.remainingSteps()).isEqualTo(6);
        generator.step(running);
        events.add("step " + ids(running));
        RunningSample b = generator.prepare(List.of(B)).get(0);
        running.add(b);
        while (!running.isEmpty()) {
            generator.step(running);
            events.add("step " + ids(running));
            for (RunningSample s : List.copyOf(running)) {
                if (s.done()) {
                    // leaves the set at once and is decoded while the others keep stepping
                    running.remove(s);
                    out.put(s.request().id(), generator.decode(List.of(s)).get(0));
                    events.add("decode " + s.request().id());
                }
            }
        }
        String ia = A.id();
        String ib = B.id();
        assertThat(events).containsExactly("step [" + ia + "]", "step [" + ia + ", " + ib + "]",
                "step [" + ia + ", " + ib + "]", "step [" + ia + ", " + ib + "]", "step [" + ia + ", " + ib + "]",
                "decode " + ib, "step [" + ia + "]", "decode " + ia);
        assertThat(a.stepsTaken()).isEqualTo(6);
        assertThat(a.remainingSteps()).isZero();
        assertThat(b.stepsTaken()).isEqualTo(4);
        assertSameVideo("joining mid-flight", out.get(ia), alone.get(ia));
        assertSameVideo("joining mid-flight", out.get(ib), alone.get(ib));
    }

    @Test
    void aRequestJoiningARunningSetGivesTheSameVideoAsAlone() {
        // the mirror case: B runs first and A, with guidance, joins it and outlives it
        List<RunningSample> running = new ArrayList<>(generator.prepare(List.of(B)));
        generator.step(running);
        generator.step(running);
        running.addAll(generator.prepare(List.of(A, C)));
        Map<String, GeneratedVideo> out = new HashMap<>();
        while (!running.isEmpty()) {
            generator.step(running);
            List<RunningSample> finished = running.stream().filter(RunningSample::done).toList();
            running.removeAll(finished);
            generator.decode(finished).forEach(v -> out.put(v.request().id(), v));
        }
        assertThat(out).containsOnlyKeys(A.id(), B.id(), C.id());
        out.values().forEach(v -> assertSameVideo("joining a running set", v, alone.get(v.request().id())));
    }

    @Test
    void generateIsPrepareStepAndDecodeComposedBitForBit() {
        List<Integer> progress = new ArrayList<>();
        List<GeneratedVideo> generated = generator.generate(List.of(C, A, B), (step, steps) -> progress.add(step));
        List<RunningSample> samples = generator.prepare(List.of(C, A, B));
        for (List<RunningSample> active = samples; !active.isEmpty();
             active = samples.stream().filter(s -> !s.done()).toList()) {
            generator.step(active);
        }
        List<GeneratedVideo> composed = generator.decode(samples);
        assertThat(progress).containsExactly(1, 2, 3, 4, 5, 6);
        for (int i = 0; i < 3; i++) {
            assertThat(composed.get(i).request()).isEqualTo(generated.get(i).request());
            assertThat(composed.get(i).frames().rgb()).isEqualTo(generated.get(i).frames().rgb());
            assertThat(composed.get(i).video().data()).isEqualTo(generated.get(i).video().data());
            assertThat(composed.get(i).video().shape()).isEqualTo(generated.get(i).video().shape());
        }
        // a fixed batch shares its timings; composed by hand, each sample has its own steps
        assertThat(generated).extracting(GeneratedVideo::batchSize).containsOnly(3);
        assertThat(generated).extracting(v -> v.timings().steps()).containsOnly(6);
        assertThat(composed).extracting(GeneratedVideo::batchSize).containsOnly(3);
        assertThat(composed).extracting(v -> v.timings().steps()).containsExactly(5, 6, 4);
    }

    @Test
    void aSteppedSampleReportsItsOwnTimings() {
        List<RunningSample> both = generator.prepare(List.of(B, A));
        RunningSample b = both.get(0);
        RunningSample a = both.get(1);
        while (!b.done()) {
            generator.step(both);
        }
        double bothDenoise = a.denoiseMs();
        while (!a.done()) {
            generator.step(List.of(a));
        }
        GeneratedVideo va = generator.decode(List.of(a)).get(0);
        GeneratedVideo vb = generator.decode(List.of(b)).get(0);
        PipelineTimings ta = va.timings();
        PipelineTimings tb = vb.timings();
        assertThat(ta.steps()).isEqualTo(6);
        assertThat(tb.steps()).isEqualTo(4);
        assertThat(tb.denoiseMs()).isEqualTo(bothDenoise);
        assertThat(ta.denoiseMs()).isGreaterThan(tb.denoiseMs());
        assertThat(ta.encodeTextMs()).isEqualTo(tb.encodeTextMs()).isPositive();
        assertThat(ta.decodeMs()).isPositive();
        assertThat(tb.decodeMs()).isPositive();
        assertThat(ta.totalMs()).isGreaterThan(ta.tokenizeMs() + ta.encodeTextMs() + ta.noiseMs() + ta.denoiseMs()
                + ta.decodeMs() - 1e-6);
        // B's total includes A's lone steps and A's decode: it was decoded after them
        assertThat(tb.totalMs()).isGreaterThan(ta.totalMs());
        assertThat(va.batchSize()).isEqualTo(2);
        assertThat(vb.batchSize()).isEqualTo(2);
    }

    @Test
    void stepAndDecodeRefuseSamplesInTheWrongState() {
        RunningSample s = generator.prepare(List.of(request("a cat", 1, 1.0, 1, SamplerKind.DDIM))).get(0);
        assertThatThrownBy(() -> generator.decode(List.of(s))).hasMessageContaining("1 step(s) left");
        assertThatThrownBy(() -> generator.step(List.of(s, s))).hasMessageContaining("twice");
        assertThatThrownBy(() -> generator.step(List.of())).hasMessageContaining("no requests");
        generator.step(List.of(s));
        assertThat(s.done()).isTrue();
        assertThatThrownBy(() -> generator.step(List.of(s))).hasMessageContaining("cannot step again");
        assertThat(generator.decode(List.of(s))).hasSize(1);
    }

    private static List<String> ids(List<RunningSample> samples) {
        return samples.stream().map(s -> s.request().id()).toList();
    }

    private static void assertSameVideo(String how, GeneratedVideo actual, GeneratedVideo expected) {
        int bytes = FrameBytes.maxDiff(actual.frames().rgb(), expected.frames().rgb());
        float[] x = actual.video().data();
        float[] y = expected.video().data();
        assertThat(x).hasSameSizeAs(y);
        double floats = 0;
        for (int i = 0; i < x.length; i++) {
            floats = Math.max(floats, Math.abs(x[i] - y[i]));
        }
        System.out.printf(Locale.ROOT, "%s, %s: max 8-bit diff %d, max float diff %.3g%n", how,
                actual.request().id(), bytes, floats);
        assertThat(bytes).as(how + ": " + actual.request().id()).isLessThanOrEqualTo(1);
    }
}
