package io.cogflow.job;

import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.scheduling.Queued;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.video.VideoFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator slot's batch work without Flink, on the small real test model. */
class BatchRunnerTest {
    private static final SessionOptions SESSION = new SessionOptions(1, 1, null);
    private static BatchGenerator model;
    private static String modelId;

    @BeforeAll
    static void load() {
        model = GeneratorFactory.TENSORFLOW.load(TestModels.plumbing(), SESSION, ModelTrust.ANY,
                ModelLoadOptions.defaults());
        modelId = ModelIds.of(TestModels.plumbing(), model.manifest());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static AcceptedRequest request(String id, String size, long deadlineMillis) {
        VideoSize s = VideoSize.parse(size);
        return new AcceptedRequest(id, new AcceptedRequest.Prompt("a red circle moving left " + id, ""),
                new AcceptedRequest.Clip(s.width(), s.height(), s.frames(), 8),
                new AcceptedRequest.Sampling(2, 6.0, false, StableSeed.of(id), null),
                new AcceptedRequest.Delivery(VideoFormat.MP4, 0, deadlineMillis, System.currentTimeMillis()));
    }

    private static List<Queued<AcceptedRequest>> batch(AcceptedRequest... requests) {
        List<Queued<AcceptedRequest>> b = new ArrayList<>();
        for (AcceptedRequest r : requests) {
            b.add(new Queued<>(r, r.size(), r.delivery().priority(), r.sampling().steps(), System.nanoTime()));
        }
        return b;
    }

    /** Every event and measurement a runner gives, in order. */
    private static final class Recorder implements BatchRunner.Progress, BatchRunner.Measurements {
        final List<String> progress = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        int steps;
        int failedBatches;

        @Override
        public void denoising(List<String> requestIds, String batchId, int step, int steps) {
            progress.add(requestIds + " " + step + "/" + steps);
        }

        @Override
        public void step(long ms) {
            steps++;
        }

        @Override
        public void batch(int size, long generationMs) {
            batchSizes.add(size);
        }

        @Override
        public void failedBatch() {
            failedBatches++;
        }
    }

    /** Runs one batch; the results by request id, in the order they were given. */
    private static Map<String, ResultRecord> run(BatchRunner runner, List<Queued<AcceptedRequest>> batch) {
        Map<String, ResultRecord> done = new LinkedHashMap<>();
        runner.run(batch, r -> r, (r, result) -> done.put(r.requestId(), result));
        return done;
    }

    @Test
    void aBatchIsGeneratedTogetherAndEachRequestGetsItsOwnFramesAndTheBatchsTimings() {
        Recorder rec = new Recorder();
        BatchRunner runner = new BatchRunner(model, modelId, 3, rec, rec);
        Map<String, ResultRecord> done = run(runner, batch(request("a", "64x64x9", 0), request("b", "64x64x9", 0),
                request("c", "64x64x9", 0)));
        assertThat(done.keySet()).containsExactly("a", "b", "c");
        assertThat(done.values()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ResultStatus.SUCCEEDED);
            assertThat(r.failure()).isNull();
            assertThat(r.modelId()).isEqualTo(modelId);
            assertThat(r.frames()).hasSize(64 * 64 * 9 * 3);
            assertThat(r.video()).as("encoding is the next operator's").isNull();
            assertThat(r.batch().size()).isEqualTo(3);
            assertThat(r.batch().id()).startsWith(modelId + "/3/1/");
            assertThat(r.timings().queueMs()).isNotNegative();
            assertThat(r.timings().generateMs()).isPositive();
            assertThat(r.timings().denoiseMs()).isPositive().isLessThanOrEqualTo(r.timings().generateMs());
            assertThat(r.timings().encodeVideoMs()).isZero();
        });
        assertThat(done.get("a").frames()).as("each request its own seed").isNotEqualTo(done.get("b").frames());
        assertThat(done.values().stream().map(r -> r.batch().id()).distinct()).hasSize(1);
        // the first event announces the batch, the last is the last step; any between are throttled
        assertThat(rec.progress).first().isEqualTo("[a, b, c] 0/2");
        assertThat(rec.progress).last().isEqualTo("[a, b, c] 2/2");
        assertThat(rec.progress).hasSizeBetween(2, 3);
        assertThat(rec.steps).isEqualTo(2);
        assertThat(rec.batchSizes).containsExactly(3);

        Map<String, ResultRecord> next = run(runner, batch(request("d", "96x64x9", 0)));
        assertThat(next.get("d").batch().id()).as("batches are numbered per runner").startsWith(modelId + "/3/2/");
    }

    @Test
    void aRequestWhoseDeadlinePassedInTheQueueIsAnsweredBeforeTheOthersAreGenerated() {
        Recorder rec = new Recorder();
        BatchRunner runner = new BatchRunner(model, modelId, 0, rec, rec);
        Map<String, ResultRecord> done = run(runner, batch(request("live", "64x64x9", 0),
                request("late", "64x64x9", System.currentTimeMillis() - 1)));
        assertThat(done.keySet()).containsExactly("late", "live");
        ResultRecord late = done.get("late");
        assertThat(late.status()).isEqualTo(ResultStatus.EXPIRED);
        assertThat(late.failure()).isEqualTo(new ResultRecord.Failure("DEADLINE_PASSED",
                "the deadline passed while the request was queued"));
        assertThat(late.batch()).isNull();
        assertThat(late.frames()).isNull();
        assertThat(late.timings()).isEqualTo(ResultRecord.Timings.NONE);
        assertThat(done.get("live").batch().size()).isEqualTo(1);
        assertThat(rec.progress).allSatisfy(p -> assertThat(p).startsWith("[live] "));
    }

    @Test
    void aBatchTheModelCannotRunFailsItsRequestsAndTheRunnerGoesOn() {
        Recorder rec = new Recorder();
        BatchRunner runner = new BatchRunner(model, modelId, 0, rec, rec);
        Map<String, ResultRecord> done = run(runner, batch(request("x", "48x48x9", 0), request("y", "48x48x9", 0)));
        assertThat(done.values()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ResultStatus.FAILED);
            assertThat(r.failure().code()).isEqualTo("GENERATION_ERROR");
            assertThat(r.failure().message()).isNotBlank();
            assertThat(r.frames()).isNull();
        });
        assertThat(done.keySet()).containsExactly("x", "y");
        assertThat(rec.failedBatches).isEqualTo(1);
        assertThat(rec.batchSizes).isEmpty();

        assertThat(run(runner, batch(request("z", "64x64x9", 0))).get("z").status()).isEqualTo(ResultStatus.SUCCEEDED);
    }

    @Test
    void anErrorOfTheGeneratorItselfIsThrownOnWithoutResults() {
        BatchGenerator failing = TestGenerators.failingOnceAfter(0).load(TestModels.plumbing(), SESSION, ModelTrust.ANY,
                ModelLoadOptions.defaults());
        try {
            BatchRunner runner = new BatchRunner(failing, modelId, 0, BatchRunner.Progress.NONE,
                    BatchRunner.Measurements.NONE);
            Map<String, ResultRecord> done = new LinkedHashMap<>();
            assertThatThrownBy(() -> runner.run(batch(request("e", "64x64x9", 0)), r -> r,
                    (r, result) -> done.put(r.requestId(), result))).isInstanceOf(TestGenerators.InjectedFailure.class);
            assertThat(done).isEmpty();
        } finally {
            failing.close();
        }
    }

    @Test
    void aVideoWithNonFiniteValuesFailsInsteadOfPassingForBlackFrames() {
        BatchGenerator nan = TestGenerators.nonFiniteOutput().load(TestModels.plumbing(), SESSION, ModelTrust.ANY,
                ModelLoadOptions.defaults());
        try {
            Recorder rec = new Recorder();
            BatchRunner runner = new BatchRunner(nan, modelId, 0, rec, rec);
            Map<String, ResultRecord> done = run(runner, batch(request("n", "64x64x9", 0)));
            ResultRecord r = done.get("n");
            assertThat(r.status()).isEqualTo(ResultStatus.FAILED);
            assertThat(r.failure().code()).isEqualTo("NON_FINITE_OUTPUT");
            assertThat(r.failure().message()).contains((64 * 64 * 9 * 3) + " non-finite value(s)");
            assertThat(r.frames()).isNull();
        } finally {
            nan.close();
        }
    }
}
