package io.cogflow.job;

import io.cogflow.scheduling.Queued;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One generator slot's work on the batches its batcher forms, without Flink: a request whose deadline passed while
 * it queued gets its EXPIRED result, the others are generated together, denoising progress goes out throttled, and
 * each video — or the batch's failure — becomes the request's result. {@link GenerateFunction} runs it on its
 * worker thread and completes the async futures; tests drive it directly with a real model.
 *
 * <p>Not thread-safe: one runner per worker thread.
 */
final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    /**
     * Denoising progress goes out at most this often per batch (and at the last step): a watcher redraws a few
     * times a second, while one event per step is a Kafka record per request every few milliseconds on a fast
     * model — CPU taken from generation (docs/benchmarks.md, pipeline efficiency).
     */
    static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    /** Where denoising progress goes: the progress topic in the job. */
    interface Progress {
        Progress NONE = (ids, batchId, step, steps) -> {
        };

        void denoising(List<String> requestIds, String batchId, int step, int steps);
    }

    /** What the runner measures: the generator operator's metrics in the job. */
    interface Measurements {
        Measurements NONE = new Measurements() {
        };

        default void step(long ms) {
        }

        default void batch(int size, long generationMs) {
        }

        default void failedBatch() {
        }
    }

    private final BatchGenerator generator;
    private final String modelId;
    private final int subtask;
    private final Progress progress;
    private final Measurements measurements;
    private long batches;

    /** @param subtask the generator subtask, for batch ids that are unique across the job */
    BatchRunner(BatchGenerator generator, String modelId, int subtask, Progress progress, Measurements measurements) {
        this.generator = generator;
        this.modelId = modelId;
        this.subtask = subtask;
        this.progress = progress;
        this.measurements = measurements;
    }

    /**
     * Runs one batch; {@code done} gets every request's result as soon as it is known (an expired one before the
     * others are generated). A {@link RuntimeException} of the model fails the batch's requests; an {@link Error}
     * is thrown on, after the results already given.
     *
     * @param request the accepted request an item of the batch carries
     */
    <T> void run(List<Queued<T>> queued, Function<T, AcceptedRequest> request,
                 BiConsumer<T, ResultRecord> done) {
        long now = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        List<Queued<T>> live = new ArrayList<>();
        for (Queued<T> q : queued) {
            AcceptedRequest r = request.apply(q.item());
            if (r.expiredAt(now)) {
                done.accept(q.item(), ResultRecord.withoutVideo(r, ResultStatus.EXPIRED, "DEADLINE_PASSED",
                        "the deadline passed while the request was queued", modelId));
            } else {
                live.add(q);
            }
        }
        if (!live.isEmpty()) {
            generate(live, request, done, now, startNanos);
        }
    }

    private <T> void generate(List<Queued<T>> live, Function<T, AcceptedRequest> request,
                              BiConsumer<T, ResultRecord> done, long now, long startNanos) {
        batches++;
        String batchId = modelId + "/" + subtask + "/" + batches + "/" + now;
        List<GenerationInput> requests = live.stream().map(q -> request.apply(q.item()).toGeneration()).toList();
        List<String> ids = requests.stream().map(GenerationInput::id).toList();
        progress.denoising(ids, batchId, 0, requests.stream().mapToInt(GenerationInput::steps).max().orElse(0));
        long[] stepStart = {System.nanoTime()};
        long[] published = {stepStart[0]};
        List<GeneratedVideo> videos;
        try {
            videos = generator.generate(requests, (step, steps) -> {
                long t = System.nanoTime();
                measurements.step((t - stepStart[0]) / 1_000_000);
                stepStart[0] = t;
                if (step == steps || t - published[0] >= PROGRESS_INTERVAL_NANOS) {
                    published[0] = t;
                    progress.denoising(ids, batchId, step, steps);
                }
            });
        } catch (RuntimeException e) {
            // a request the model cannot run fails alone; the job keeps serving the others. Logged once per batch,
            // with every request id, so the FAILED results can be traced to this stack trace
            measurements.failedBatch();
            LOG.error("batch {} of {} request(s) failed: {}", batchId, ids.size(), ids, e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            for (Queued<T> q : live) {
                done.accept(q.item(), ResultRecord.withoutVideo(request.apply(q.item()), ResultStatus.FAILED,
                        "GENERATION_ERROR", message, modelId));
            }
            return;
        }
        measurements.batch(live.size(), (System.nanoTime() - startNanos) / 1_000_000);
        ResultRecord.Batch batch = new ResultRecord.Batch(batchId, live.size());
        for (int i = 0; i < live.size(); i++) {
            Queued<T> q = live.get(i);
            double queueMs = (startNanos - q.arrivedNanos()) / 1e6;
            done.accept(q.item(), VideoResults.of(request.apply(q.item()), videos.get(i), batch, queueMs, modelId));
        }
    }
}
