package io.cogflow.job;

import io.cogflow.model.export.ModelManifest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.file.Path;

/**
 * Checks each decoded request against the model and the service limits before it may queue for a GPU: bad ones
 * get a REJECTED (or EXPIRED) result at once, undecodable records go to the dead letters. Nothing is dropped.
 */
public final class Validator extends ProcessFunction<Incoming, Job> {
    public static final OutputTag<ResultRecord> IMMEDIATE_RESULTS = new OutputTag<>("immediate-results") {
    };
    public static final OutputTag<DeadLetterInfo> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private final JobConfig config;
    private transient ModelManifest manifest;
    private transient String modelId;

    public Validator(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        manifest = ModelManifest.read(Path.of(config.model().dir()));
        modelId = ModelIds.of(Path.of(config.model().dir()), manifest);
    }

    @Override
    public void processElement(Incoming in, Context ctx, Collector<Job> out) {
        if (in.deadLetter() != null) {
            ctx.output(DEAD_LETTERS, in.deadLetter());
            return;
        }
        Job job = in.job();
        String problem = problem(job);
        if (problem != null) {
            int colon = problem.indexOf(':');
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(job, job.requestId(), ResultStatus.REJECTED,
                    problem.substring(0, colon), problem.substring(colon + 2), modelId));
        } else if (job.expiredAt(System.currentTimeMillis())) {
            ctx.output(IMMEDIATE_RESULTS, ResultRecord.withoutVideo(job, job.requestId(), ResultStatus.EXPIRED,
                    "DEADLINE_PASSED", "the deadline passed before the request was read", modelId));
        } else {
            out.collect(job);
        }
    }

    /** "CODE: message", or null when the request is fine. */
    private String problem(Job job) {
        if (job.prompt().isBlank()) {
            return "EMPTY_PROMPT: the prompt is empty";
        }
        if (job.prompt().length() > config.validation().maxPromptChars()) {
            return "PROMPT_TOO_LONG: the prompt has " + job.prompt().length() + " characters, the limit is "
                    + config.validation().maxPromptChars();
        }
        if (job.steps() < 1 || job.steps() > 1000) {
            return "BAD_STEPS: steps must be between 1 and 1000, got " + job.steps();
        }
        if (!Double.isFinite(job.guidance()) || job.guidance() < 0) {
            return "BAD_GUIDANCE: guidance must be a finite number ≥ 0, got " + job.guidance();
        }
        if (job.fps() < 1 || job.fps() > 120) {
            return "BAD_FPS: fps must be between 1 and 120, got " + job.fps();
        }
        try {
            manifest.size(job.size());
        } catch (IllegalArgumentException e) {
            return "UNSUPPORTED_SIZE: " + e.getMessage();
        }
        return null;
    }
}
