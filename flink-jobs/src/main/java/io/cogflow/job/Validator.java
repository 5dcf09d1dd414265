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
 * Checks each decoded request against the model and the service limits before it may queue for a GPU: bad ones
 * get a REJECTED (or EXPIRED) result at once, undecodable records go to the dead letters. Nothing is dropped.
 */
public final class Validator extends ProcessFunction<Incoming, AcceptedRequest> {
    public static final OutputTag<ResultRecord> IMMEDIATE_RESULTS = new OutputTag<>("immediate-results") {
    };
    public static final OutputTag<DeadLetterInfo> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    private final JobConfig config;
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
        manifest = ModelManifest.read(Path.of(config.model().dir()));
        modelId = ModelIds.of(Path.of(config.model().dir()), manifest);
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
        String problem = problem(request);
        if (problem != null) {
            int colon = problem.indexOf(':');
            immediate.get(ResultStatus.REJECTED).inc();
            LOG.debug("request {} rejected: {}", request.requestId(), problem);
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(request, ResultStatus.REJECTED,
                    problem.substring(0, colon), problem.substring(colon + 2), modelId));
        } else if (request.expiredAt(System.currentTimeMillis())) {
            immediate.get(ResultStatus.EXPIRED).inc();
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(request, ResultStatus.EXPIRED,
                    "DEADLINE_PASSED", "the deadline passed before the request was read", modelId));
        } else {
            out.collect(request);
        }
    }

    /** "CODE: message", or null when the request is fine. */
    private String problem(AcceptedRequest request) {
        String prompt = request.prompt().text();
        if (prompt.isBlank()) {
            return "EMPTY_PROMPT: the prompt is empty";
        }
        if (prompt.length() > config.validation().maxPromptChars()) {
            return "PROMPT_TOO_LONG: the prompt has " + prompt.length() + " characters, the limit is "
                    + config.validation().maxPromptChars();
        }
        AcceptedRequest.Sampling sampling = request.sampling();
        if (sampling.steps() < 1 || sampling.steps() > 1000) {
            return "BAD_STEPS: steps must be between 1 and 1000, got " + sampling.steps();
        }
        if (!Double.isFinite(sampling.guidance()) || sampling.guidance() < 0) {
            return "BAD_GUIDANCE: guidance must be a finite number ≥ 0, got " + sampling.guidance();
        }
        int fps = request.clip().fps();
        if (fps < 1 || fps > 120) {
            return "BAD_FPS: fps must be between 1 and 120, got " + fps;
        }
        try {
            manifest.size(request.size());
        } catch (IllegalArgumentException e) {
            return "UNSUPPORTED_SIZE: " + e.getMessage();
        }
        return null;
    }
}
