package io.cogflow.job;

import io.cogflow.job.batching.Batcher;
import io.cogflow.job.batching.BatchingPolicy;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationRequest;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.schemas.Stage;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GPU stage. Each subtask loads the exported model once, pinned to the GPU Flink assigned to its TaskManager
 * (or a configured fallback, or the CPU), and runs a generator thread that takes Triton-style batches from
 * per-bucket queues. The operator thread only enqueues, so checkpoints never wait for a GPU; in-flight requests
 * are bounded by the async capacity (a backlog stays in Kafka as consumer lag) and are checkpointed by the async
 * operator, which re-runs them after a restart — with their seeds fixed, the replay makes the same video.
 */
public final class GenerateFunction extends RichAsyncFunction<Job, Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(GenerateFunction.class);

    /** The test-only failure fires once per process, so the restarted job can finish. */
    private static final AtomicBoolean INJECTED_FAILURE_FIRED = new AtomicBoolean();

    private record Pending(Job job, ResultFuture<Outcome> future) {
    }

    /** Milliseconds the latest model load in this process took (embedded runs report it; -1 before one). */
    private static final java.util.concurrent.atomic.AtomicLong LAST_MODEL_LOAD_MS =
            new java.util.concurrent.atomic.AtomicLong(-1);

    public static long lastModelLoadMs() {
        return LAST_MODEL_LOAD_MS.get();
    }

    /**
     * Denoising progress goes out at most this often per batch (and at the last step): a watcher redraws a few
     * times a second, while one event per step is a Kafka record per request every few milliseconds on a fast
     * model — CPU taken from generation (docs/benchmarks.md, pipeline efficiency).
     */
    static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    private final JobConfig config;
    private final BatchingPolicy batching;
    private transient VideoGenerator generator;
    private transient Batcher<Pending> batcher;
    private transient Thread worker;
    private transient ProgressPublisher progress;
    private transient String modelId;
    private transient int subtask;
    private transient long batches;
    /** Requests this subtask holds (queued or generating, not yet completed), and the most it has held at once. */
    private transient AtomicInteger inFlight;
    private transient AtomicInteger peakInFlight;
    private transient Histogram batchSize;
    private transient Histogram stepMs;
    private transient Histogram generationMs;
    private transient Counter failures;

    /** @param batching the policy, built where the job is built (so a profile file is read once, by the client) */
    public GenerateFunction(JobConfig config, BatchingPolicy batching) {
        this.config = config;
        this.batching = batching;
    }

    @Override
    public void open(OpenContext context) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        String gpu = assignedGpu(getRuntimeContext().getExternalResourceInfos("gpu"), config.generation().gpuFallback());
        SessionOptions session = new SessionOptions(config.model().threads(), 1, gpu);
        Path dir = Path.of(config.model().dir());
        long loadStart = System.nanoTime();
        generator = VideoGenerator.load(dir, session);
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
        LAST_MODEL_LOAD_MS.set(loadMs);
        modelId = ModelIds.of(dir, generator.manifest());
        LOG.info("generator {} loaded {} from {} in {} ms on {}", subtask, modelId, dir, loadMs,
                gpu == null ? "the CPU" : "GPU " + gpu);
        batcher = new Batcher<>(batching);
        inFlight = new AtomicInteger();
        peakInFlight = new AtomicInteger();
        progress = new ProgressPublisher(config.kafka());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        for (var s : generator.manifest().sizes()) {
            VideoSize size = s.video();
            metrics.addGroup("bucket", size.toString()).gauge("queueDepth", () -> batcher.depth(size));
        }
        metrics.gauge("queueDepth", () -> batcher.depth());
        metrics.gauge("modelLoadMs", () -> loadMs);
        // bounded by the async capacity: a backlog waits in Kafka (consumer lag), not in the job
        metrics.gauge("inFlight", () -> inFlight.get());
        metrics.gauge("peakInFlight", () -> peakInFlight.get());
        metrics.gauge("device", () -> gpu == null ? "cpu" : "gpu:" + gpu);
        batchSize = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        stepMs = metrics.histogram("stepLatencyMs", new DescriptiveStatisticsHistogram(1000));
        generationMs = metrics.histogram("generationLatencyMs", new DescriptiveStatisticsHistogram(1000));
        failures = metrics.counter("generationFailures");
        worker = new Thread(this::run, "cogflow-generator-" + subtask);
        worker.setDaemon(true);
        worker.start();
    }

    /** The GPU index Flink's external-resource framework gave this TaskManager, else the fallback (or null). */
    static String assignedGpu(Set<ExternalResourceInfo> infos, String fallback) {
        for (ExternalResourceInfo info : infos) {
            Optional<String> index = info.getProperty("index");
            if (index.isPresent()) {
                return index.get();
            }
        }
        return fallback == null || fallback.isBlank() ? null : fallback;
    }

    @Override
    public void asyncInvoke(Job job, ResultFuture<Outcome> future) {
        batcher.add(new Pending(job, future), job.size());
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    @Override
    public void timeout(Job job, ResultFuture<Outcome> future) {
        future.complete(List.of(Outcome.failed(job, ResultStatus.FAILED, "TIMEOUT", "generation did not finish "
                + "within " + config.generation().timeoutMs() + " ms", modelId)));
    }

    private void run() {
        try {
            while (true) {
                List<Batcher.Queued<Pending>> batch = batcher.take();
                if (batch.isEmpty()) {
                    return;
                }
                generate(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void generate(List<Batcher.Queued<Pending>> queued) throws InterruptedException {
        long now = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        List<Batcher.Queued<Pending>> live = new ArrayList<>();
        for (Batcher.Queued<Pending> q : queued) {
            if (q.item().job().expiredAt(now)) {
                finish(q.item(), Outcome.failed(q.item().job(), ResultStatus.EXPIRED, "DEADLINE_PASSED",
                        "the deadline passed while the request was queued", modelId));
            } else {
                live.add(q);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        generateLive(live, now, startNanos);
    }

    private void generateLive(List<Batcher.Queued<Pending>> live, long now, long startNanos)
            throws InterruptedException {
        batches++;
        String batchId = modelId + "/" + subtask + "/" + batches + "/" + now;
        int failAfter = config.testing().failAfterBatches();
        if (failAfter > 0 && batches > failAfter && INJECTED_FAILURE_FIRED.compareAndSet(false, true)) {
            RuntimeException boom = new IllegalStateException("injected failure after " + failAfter + " batches "
                    + "(testing.fail_after_batches)");
            live.forEach(q -> {
                inFlight.decrementAndGet();
                q.item().future().completeExceptionally(boom);
            });
            return;
        }
        if (config.testing().slowdownMs() > 0) {
            Thread.sleep(config.testing().slowdownMs());
        }
        List<GenerationRequest> requests = new ArrayList<>();
        for (Batcher.Queued<Pending> q : live) {
            Job j = q.item().job();
            requests.add(new GenerationRequest(j.requestId(), j.prompt(), j.negativePrompt(), j.size(), j.steps(),
                    j.guidance(), j.dynamicCfg(), j.seed(), j.sampler() == null ? null : SamplerKind.parse(j.sampler())));
        }
        List<String> ids = requests.stream().map(GenerationRequest::id).toList();
        progress.publish(ids, batchId, Stage.DENOISING, 0, requests.stream().mapToInt(GenerationRequest::steps).max().orElse(0));
        long[] stepStart = {System.nanoTime()};
        long[] published = {stepStart[0]};
        try {
            List<GeneratedVideo> videos = generator.generate(requests, (step, steps) -> {
                long t = System.nanoTime();
                stepMs.update((t - stepStart[0]) / 1_000_000);
                stepStart[0] = t;
                if (step == steps || t - published[0] >= PROGRESS_INTERVAL_NANOS) {
                    published[0] = t;
                    progress.publish(ids, batchId, Stage.DENOISING, step, steps);
                }
            });
            batchSize.update(live.size());
            generationMs.update((System.nanoTime() - startNanos) / 1_000_000);
            for (int i = 0; i < live.size(); i++) {
                Batcher.Queued<Pending> q = live.get(i);
                GeneratedVideo v = videos.get(i);
                var t = v.timings();
                double queueMs = (startNanos - q.arrivedNanos()) / 1e6;
                finish(q.item(), new Outcome(q.item().job(), ResultStatus.SUCCEEDED, null, null,
                        v.frames().rgb(), batchId, live.size(), queueMs, t.tokenizeMs(), t.encodeTextMs(),
                        t.denoiseMs(), t.decodeMs(), t.totalMs(), modelId));
            }
        } catch (RuntimeException e) {
            // a request the model cannot run fails alone; the job keeps serving the others. Logged once per batch,
            // with every request id, so the FAILED results can be traced to this stack trace
            failures.inc();
            LOG.error("batch {} of {} request(s) failed: {}", batchId, ids.size(), ids, e);
            for (Batcher.Queued<Pending> q : live) {
                finish(q.item(), Outcome.failed(q.item().job(), ResultStatus.FAILED, "GENERATION_ERROR",
                        e.getMessage() == null ? e.toString() : e.getMessage(), modelId));
            }
        }
    }

    private void finish(Pending p, Outcome outcome) {
        inFlight.decrementAndGet();
        p.future().complete(List.of(outcome));
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher.close();
        }
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
        if (progress != null) {
            progress.close();
        }
        if (generator != null) {
            generator.close();
        }
    }
}
