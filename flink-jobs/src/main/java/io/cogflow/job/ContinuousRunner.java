package io.cogflow.job;

import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.RunningSample;
import io.cogflow.scheduling.Queued;
import io.cogflow.scheduling.SlotWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One generator slot's work under continuous batching, without Flink: it admits requests (text encoding and
 * initial noise, one model call for all joining), steps a bucket's running set (one denoise call) and decodes the
 * finished ones, as the slot's {@link io.cogflow.scheduling.ContinuousBatcher} decides. A request whose deadline
 * passed while it queued gets its EXPIRED result when it would join; a model {@link RuntimeException} fails the
 * requests of that call (their FAILED results), which leave the slot through {@code leave}; an {@link Error} is
 * thrown on and fails the task, whose restart re-runs every request it held from the start, with its seed.
 *
 * <p>Not thread-safe: one runner per worker thread.
 */
final class ContinuousRunner<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousRunner.class);

    /** A request in the running set: its sample and the admission it joined with. */
    private record Running(RunningSample sample, String admissionId, long admittedNanos) {
    }

    private final BatchGenerator generator;
    private final String modelId;
    private final int subtask;
    private final BatchRunner.Progress progress;
    private final BatchRunner.Measurements measurements;
    private final Function<T, AcceptedRequest> request;
    private final BiConsumer<T, ResultRecord> done;
    private final Consumer<T> leave;
    private final Map<T, Running> running = new HashMap<>();
    private long admissions;
    private long publishedNanos;

    /**
     * @param request what an item carries
     * @param done    gets every request's result as soon as it is known
     * @param leave   takes a request out of the slot's scheduler (it expired or failed before its decode)
     */
    ContinuousRunner(BatchGenerator generator, String modelId, int subtask, BatchRunner.Progress progress,
                     BatchRunner.Measurements measurements, Function<T, AcceptedRequest> request,
                     BiConsumer<T, ResultRecord> done, Consumer<T> leave) {
        this.generator = generator;
        this.modelId = modelId;
        this.subtask = subtask;
        this.progress = progress;
        this.measurements = measurements;
        this.request = request;
        this.done = done;
        this.leave = leave;
    }

    /** Does one piece of continuous-batching work. */
    void run(SlotWork<T> work) {
        if (work instanceof SlotWork.Admit<T> a) {
            admit(a.requests());
        } else if (work instanceof SlotWork.Step<T> s) {
            step(s.running());
        } else if (work instanceof SlotWork.Decode<T> d) {
            decode(d.finished());
        } else {
            throw new IllegalArgumentException("not continuous-batching work: " + work);
        }
    }

    /** Requests this runner holds a sample for (running, or waiting for decode). */
    int held() {
        return running.size();
    }

    private void admit(List<Queued<T>> joining) {
        long now = System.currentTimeMillis();
        long start = System.nanoTime();
        List<Queued<T>> live = new ArrayList<>();
        for (Queued<T> q : joining) {
            AcceptedRequest r = request.apply(q.item());
            if (r.expiredAt(now)) {
                finish(q.item(), ResultRecord.withoutVideo(r, ResultStatus.EXPIRED, "DEADLINE_PASSED",
                        "the deadline passed while the request was queued", modelId));
            } else {
                live.add(q);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        admissions++;
        String admissionId = modelId + "/" + subtask + "/c" + admissions + "/" + now;
        List<GenerationInput> inputs = live.stream().map(q -> request.apply(q.item()).toGeneration()).toList();
        List<RunningSample> samples;
        try {
            samples = generator.prepare(inputs);
        } catch (RuntimeException e) {
            fail(live.stream().map(Queued::item).toList(), "admission " + admissionId, e);
            return;
        }
        for (int i = 0; i < live.size(); i++) {
            running.put(live.get(i).item(), new Running(samples.get(i), admissionId, start));
        }
        progress.denoising(inputs.stream().map(GenerationInput::id).toList(), admissionId, 0,
                inputs.stream().mapToInt(GenerationInput::steps).max().orElse(0));
    }

    private void step(List<Queued<T>> set) {
        List<T> items = new ArrayList<>();
        List<RunningSample> samples = new ArrayList<>();
        for (Queued<T> q : set) {
            Running r = running.get(q.item());
            if (r == null) {
                throw new IllegalStateException("the scheduler stepped a request this slot never admitted");
            }
            items.add(q.item());
            samples.add(r.sample());
        }
        long start = System.nanoTime();
        try {
            generator.step(samples);
        } catch (RuntimeException e) {
            fail(items, "a step of " + items.size() + " request(s)", e);
            return;
        }
        long end = System.nanoTime();
        measurements.step((end - start) / 1_000_000);
        boolean publish = end - publishedNanos >= BatchRunner.PROGRESS_INTERVAL_NANOS;
        for (int i = 0; i < items.size(); i++) {
            RunningSample s = samples.get(i);
            if (publish || s.done()) {
                progress.denoising(List.of(s.request().id()), running.get(items.get(i)).admissionId(), s.stepsTaken(),
                        s.request().steps());
            }
        }
        if (publish) {
            publishedNanos = end;
        }
    }

    private void decode(List<Queued<T>> finished) {
        List<RunningSample> samples = new ArrayList<>();
        for (Queued<T> q : finished) {
            Running r = running.get(q.item());
            if (r == null || !r.sample().done()) {
                throw new IllegalStateException("the scheduler decodes a request whose denoising is not done");
            }
            samples.add(r.sample());
        }
        List<GeneratedVideo> videos;
        try {
            videos = generator.decode(samples);
        } catch (RuntimeException e) {
            fail(finished.stream().map(Queued::item).toList(), "a decode of " + finished.size() + " video(s)", e);
            return;
        }
        for (int i = 0; i < finished.size(); i++) {
            Queued<T> q = finished.get(i);
            Running r = running.remove(q.item());
            GeneratedVideo v = videos.get(i);
            measurements.batch(v.batchSize(), (long) v.timings().totalMs());
            double queueMs = (r.admittedNanos() - q.arrivedNanos()) / 1e6;
            done.accept(q.item(), VideoResults.of(request.apply(q.item()), v,
                    new ResultRecord.Batch(r.admissionId(), v.batchSize()), queueMs, modelId));
        }
    }

    /** A model call failed: its requests fail alone, and the slot keeps serving the others. */
    private void fail(List<T> items, String what, RuntimeException e) {
        measurements.failedBatch();
        List<String> ids = items.stream().map(i -> request.apply(i).requestId()).toList();
        LOG.error("{} failed for {}", what, ids, e);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        for (T item : items) {
            finish(item, ResultRecord.withoutVideo(request.apply(item), ResultStatus.FAILED, "GENERATION_ERROR",
                    message, modelId));
        }
    }

    private void finish(T item, ResultRecord result) {
        running.remove(item);
        leave.accept(item);
        done.accept(item, result);
    }
}
