package io.cogflow.job;

import io.cogflow.model.export.ModelManifest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Checks each decoded request against the service limits first ({@link RequestLimits}: every field, the record's
 * size, key and metadata), then the model's sizes, before it may queue for a GPU: bad ones get a REJECTED (or
 * EXPIRED) result at once, undecodable records go to the dead letters. Nothing is dropped.
 */
public final class Validator extends ProcessFunction<Incoming, AcceptedRequest> {
    public static final OutputTag<ResultRecord> IMMEDIATE_RESULTS = new OutputTag<>("immediate-results") {
    };
    public static final OutputTag<DeadLetterInfo> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    private final JobConfig config;
    private transient RequestLimits limits;
    private transient ModelManifest manifest;
    private transient String modelId;
    private transient Counter deadLetters;
    /** Results this operator answers itself; {@link EncodeFunction} counts the generated ones under the same name. */
    private transient Map<ResultStatus, Counter> immediate;

    public Validator(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        limits = new RequestLimits(config.validation());
        Path model = Path.of(config.model().dir());
        config.model().trust().check(model); // an untrusted model is refused before any request is accepted
        manifest = ModelManifest.read(model);
        modelId = ModelIds.of(model, manifest);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        deadLetters = metrics.counter("deadLetters");
        immediate = new EnumMap<>(ResultStatus.class);
        for (ResultStatus s : new ResultStatus[]{ResultStatus.REJECTED, ResultStatus.EXPIRED}) {
            immediate.put(s, ResultMetrics.counter(metrics, s));
        }
    }

    @Override
    public void processElement(Incoming in, Context ctx, Collector<AcceptedRequest> out) {
        if (in.deadLetter() != null) {
            // per record at DEBUG only: a stream of garbage must not flood the log; the counter shows it
            deadLetters.inc();
            LOG.debug("dead letter from {}-{}@{}: {}", in.deadLetter().topic(), in.deadLetter().partition(),
                    in.deadLetter().offset(), in.deadLetter().error());
            ctx.output(DEAD_LETTERS, in.deadLetter());
            return;
        }
        AcceptedRequest request = in.request();
        RequestLimits.Rejection problem = limits.check(request, in.facts());
        if (problem == null) {
            problem = sizeProblem(request);
        }
        if (problem != null) {
            immediate.get(ResultStatus.REJECTED).inc();
            LOG.debug("request rejected: {}", problem.code());  // not the id: it may be what was wrong
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(request, ResultStatus.REJECTED,
                    problem.code(), problem.message(), modelId));
        } else if (request.expiredAt(System.currentTimeMillis())) {
            immediate.get(ResultStatus.EXPIRED).inc();
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(request, ResultStatus.EXPIRED,
                    "DEADLINE_PASSED", "the deadline passed before the request was read", modelId));
        } else {
            out.collect(request);
        }
    }

    /** What only the model can tell: whether it makes videos of this size. */
    private RequestLimits.Rejection sizeProblem(AcceptedRequest request) {
        try {
            manifest.size(request.size());
            return null;
        } catch (IllegalArgumentException e) {
            return new RequestLimits.Rejection("UNSUPPORTED_SIZE", e.getMessage());
        }
    }
}
