package io.cogflow.job;

import io.cogflow.scheduling.BlockingSlot;
import io.cogflow.scheduling.ContinuousBatcher;
import io.cogflow.scheduling.SlotPolicy;
import io.cogflow.scheduling.SlotScheduler;
import io.cogflow.scheduling.SlotWork;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.Devices;
import io.cogflow.model.tf.SessionOptions;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.AbstractRichFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GPU stage. Each subtask loads the exported model once, pinned to the GPU Flink assigned to its TaskManager
 * (or a configured fallback, or the CPU), and runs a generator thread that asks the slot's scheduler for work —
 * a whole batch ({@link BatchRunner}) under request-level batching; an admission, a step of a running set or a
 * decode ({@link ContinuousRunner}) under continuous batching — and does it. The operator thread only enqueues,
 * so checkpoints never
 * wait for a GPU; in-flight requests are bounded by the async capacity (a backlog stays in Kafka as consumer lag)
 * and are checkpointed by the async operator, which re-runs them after a restart — with their seeds fixed, the
 * replay makes the same video.
 *
 * <p>A rich function, but not a {@code RichAsyncFunction}: that one hides the accumulators (they are not
 * thread-safe, and its callbacks may run on other threads), and the model load is reported as one — added once, in
 * {@link #open}, on the task's thread, and never touched again.
 */
public final class GenerateFunction extends AbstractRichFunction
        implements AsyncFunction<AcceptedRequest, ResultRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(GenerateFunction.class);

    /**
     * The accumulator with the slowest subtask's model load, in milliseconds: what a client of the job (the demo)
     * reads through {@code JobClient.getAccumulators()}; the {@code modelLoadMs} gauge has it per subtask.
     */
    public static final String MODEL_LOAD_ACCUMULATOR = "modelLoadMs";

    /** The gauge with this subtask's warm-up time in milliseconds (after the model load, before any request). */
    public static final String WARM_UP_GAUGE = "warmUpMillis";

    /** A request this subtask holds; completed once, whichever of result, timeout or failure comes first. */
    private record Pending(AcceptedRequest request, ResultFuture<ResultRecord> future, AtomicBoolean done) {
    }

    private final JobConfig config;
    private final SlotPolicy scheduling;
    private final GeneratorFactory generators;
    private transient BatchGenerator generator;
    private transient BlockingSlot<Pending> slot;
    private transient Thread worker;
    private transient ProgressPublisher progress;
    private transient String modelId;
    /** Requests this subtask holds (queued or generating, not yet completed), and the most it has held at once. */
    private transient AtomicInteger inFlight;
    private transient AtomicInteger peakInFlight;

    /**
     * @param scheduling the policy, built where the job is built (so a profile file is read once, by the client)
     * @param generators loads the model in each subtask
     */
    public GenerateFunction(JobConfig config, SlotPolicy scheduling, GeneratorFactory generators) {
        this.config = config;
        this.scheduling = scheduling;
        this.generators = generators;
    }

    @Override
    public void open(OpenContext context) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        String gpu = assignedGpu(getRuntimeContext().getExternalResourceInfos("gpu"), config.generation().gpuFallback());
        SessionOptions session = new SessionOptions(config.model().threads(), 1, gpu);
        // what TensorFlow really runs on, checked before the (long) model load
        String device = device(gpu, Devices.of(session));
        Path dir = Path.of(config.model().dir());
        long loadStart = System.nanoTime();
        generator = generators.load(dir, session, config.model().trust(), config.model().loadOptions());
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
        modelId = ModelIds.of(dir, generator.manifest());
        LOG.info("generator {} loaded {} from {} in {} ms on {} (xla {}, text encoder on {})", subtask, modelId, dir,
                loadMs, device, config.model().xla(), config.model().textEncoderDevice());
        // every (size, batch) shape the batching can run, before the first request: XLA compiles once per shape,
        // and TensorFlow builds executors and oneDNN primitives on a shape's first run
        ExportedModel.WarmUp warmUp = generator.warmUp(scheduling::maxBatch);
        LOG.info("generator {} warmed up {} signature calls in {} ms", subtask, warmUp.calls(), warmUp.millis());
        LongMaximum loadAccumulator = new LongMaximum();
        loadAccumulator.add(loadMs);
        getRuntimeContext().addAccumulator(MODEL_LOAD_ACCUMULATOR, loadAccumulator);
        SlotScheduler<Pending> scheduler = scheduling.scheduler(size -> memoryLimit(generator));
        slot = new BlockingSlot<>(scheduler);
        inFlight = new AtomicInteger();
        peakInFlight = new AtomicInteger();
        progress = new ProgressPublisher(config.kafka());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        for (var s : generator.manifest().sizes()) {
            VideoSize size = s.video();
            MetricGroup bucket = metrics.addGroup("bucket", size.toString());
            bucket.gauge("queueDepth", () -> slot.depth(size));
            if (scheduler instanceof ContinuousBatcher<Pending> c) {
                bucket.gauge("runningSet", () -> slot.inspect(scheduled -> c.running(size)));
            }
        }
        metrics.gauge("queueDepth", () -> slot.depth());
        metrics.gauge("modelLoadMs", () -> loadMs);
        metrics.gauge(WARM_UP_GAUGE, warmUp::millis);
        // bounded by the async capacity: a backlog waits in Kafka (consumer lag), not in the job
        metrics.gauge("inFlight", () -> inFlight.get());
        metrics.gauge("peakInFlight", () -> peakInFlight.get());
        metrics.gauge("device", () -> device);
        BatchRunner.Measurements measurements = measurements(metrics);
        BatchRunner batches = new BatchRunner(generator, modelId, subtask, progress, measurements);
        ContinuousRunner<Pending> steps = new ContinuousRunner<>(generator, modelId, subtask, progress, measurements,
                Pending::request, this::finish, slot::drop);
        worker = new Thread(() -> run(batches, steps), "cogflow-generator-" + subtask);
        worker.setDaemon(true);
        worker.start();
    }

    /** The runner's measurements as this operator's metrics. */
    private static BatchRunner.Measurements measurements(MetricGroup metrics) {
        Histogram batchSize = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        Histogram stepMs = metrics.histogram("stepLatencyMs", new DescriptiveStatisticsHistogram(1000));
        Histogram generationMs = metrics.histogram("generationLatencyMs", new DescriptiveStatisticsHistogram(1000));
        Counter failures = metrics.counter("generationFailures");
        return new BatchRunner.Measurements() {
            @Override
            public void step(long ms) {
                stepMs.update(ms);
            }

            @Override
            public void batch(int size, long ms) {
                batchSize.update(size);
                generationMs.update(ms);
            }

            @Override
            public void failedBatch() {
                failures.inc();
            }
        };
    }

    /**
     * The most requests one model call may carry for the model's memory: half the rows (a request with guidance
     * has two) its attention was planned for; no limit for a model exported before that was recorded.
     */
    static int memoryLimit(BatchGenerator generator) {
        var attention = generator.manifest().attention();
        return attention == null ? Integer.MAX_VALUE : Math.max(1, attention.maxBatch() / 2);
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

    /**
     * What the {@code device} gauge reports, from the devices TensorFlow lists for this subtask's session:
     * {@code gpu:<index>} for the assigned GPU, {@code gpu} when TensorFlow found GPUs without one being assigned
     * (it then uses its first), {@code cpu} when it lists none. An assigned GPU that TensorFlow does not see fails
     * the subtask: the native library is the CPU one, or the CUDA libraries are missing, and soft placement would
     * otherwise run the model on the CPU without a word.
     */
    static String device(String assignedGpu, List<Devices.Device> devices) {
        if (Devices.anyGpu(devices)) {
            return assignedGpu == null ? "gpu" : "gpu:" + assignedGpu;
        }
        if (assignedGpu != null) {
            throw new IllegalStateException("GPU " + assignedGpu + " was assigned but TensorFlow sees no GPU: install "
                    + "the CUDA 12.5 / cuDNN 9.3 libraries and use the GPU native jar (Maven profile gpu); "
                    + "TensorFlow lists " + devices.stream().map(Devices.Device::name).toList());
        }
        return "cpu";
    }

    @Override
    public void asyncInvoke(AcceptedRequest request, ResultFuture<ResultRecord> future) {
        Pending p = new Pending(request, future, new AtomicBoolean());
        try {
            slot.add(p, request.size(), request.delivery().priority(), request.sampling().steps());
        } catch (IllegalStateException closed) {
            // the generator failed and the task is failing: the restart re-runs this request
            future.completeExceptionally(closed);
            return;
        }
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    @Override
    public void timeout(AcceptedRequest request, ResultFuture<ResultRecord> future) {
        future.complete(List.of(ResultRecord.withoutVideo(request, ResultStatus.FAILED, "TIMEOUT",
                "generation did not finish within " + config.generation().timeoutMs() + " ms", modelId)));
    }

    private void run(BatchRunner batches, ContinuousRunner<Pending> steps) {
        try {
            SlotWork<Pending> work;
            while ((work = slot.next()) != null) {
                long start = System.nanoTime();
                try {
                    if (work instanceof SlotWork.Generate<Pending> g) {
                        batches.run(g.requests(), Pending::request, this::finish);
                    } else {
                        steps.run(work);
                    }
                } catch (Throwable t) {
                    // not a request's failure (those become FAILED results) but the generator's own, such as an
                    // Error from the native library: the async operator fails the task, and Flink restarts it from
                    // the last checkpoint, which re-runs these requests from the start, with their seeds. No FAILED
                    // result first: it would go into the sink's open transaction, which this failure aborts —
                    // exactly once, the replay answers them
                    LOG.error("generator failed on {} of {} request(s); failing the task",
                            work.getClass().getSimpleName(), work.requests().size(), t);
                    work.requests().forEach(q -> fail(q.item(), t));
                    // the scheduler's state is past repair: fail what else the slot holds too, and refuse more
                    slot.close().forEach(q -> fail(q.item(), t));
                    return;
                }
                slot.done(work, System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finish(Pending p, ResultRecord result) {
        if (p.done().compareAndSet(false, true)) {
            inFlight.decrementAndGet();
            p.future().complete(List.of(result));
        }
    }

    private void fail(Pending p, Throwable t) {
        if (p.done().compareAndSet(false, true)) {
            inFlight.decrementAndGet();
            p.future().completeExceptionally(t);
        }
    }

    @Override
    public void close() throws Exception {
        if (slot != null) {
            slot.close();
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
