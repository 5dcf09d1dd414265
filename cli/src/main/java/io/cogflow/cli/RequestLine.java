package io.cogflow.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One line of a {@code cogflow submit --file} JSONL file: the fields of the Avro {@link GenerationRequest}
 * (schemas/src/main/avro/GenerationRequest.avsc) under their snake_case names, each optional. An absent field takes
 * its default — a random request id, an empty prompt, 64 × 64 × 9, and the schema's defaults for the rest.
 * {@link RequestFile} binds lines strictly, and refuses an explicit null except for the {@link #NULLABLE} keys.
 *
 * @param deadline epoch milliseconds
 */
record RequestLine(String requestId, String prompt, String negativePrompt, Integer width, Integer height,
                   Integer frames, Integer fps, Integer steps, Double guidance, Boolean dynamicCfg, Long seed,
                   Sampler sampler, OutputFormat outputFormat, Integer priority, Long deadline,
                   Map<String, String> clientMetadata) {

    /** The JSON keys, in the schema's order. */
    static final List<String> KEYS = Arrays.stream(RequestLine.class.getRecordComponents())
            .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName())).toList();

    /** Keys whose null means what their absence means: the schema's nullable fields, and the generated id. */
    static final Set<String> NULLABLE = Set.of("request_id", "seed", "sampler", "deadline");

    GenerationRequest toRequest() {
        GenerationRequest.Builder b = GenerationRequest.newBuilder()
                .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
                .setPrompt(prompt != null ? prompt : "")
                .setWidth(width != null ? width : 64)
                .setHeight(height != null ? height : 64)
                .setFrames(frames != null ? frames : 9);
        // the rest keep the schema's defaults unless given
        if (negativePrompt != null) {
            b.setNegativePrompt(negativePrompt);
        }
        if (fps != null) {
            b.setFps(fps);
        }
        if (steps != null) {
            b.setSteps(steps);
        }
        if (guidance != null) {
            b.setGuidance(guidance);
        }
        if (dynamicCfg != null) {
            b.setDynamicCfg(dynamicCfg);
        }
        b.setSeed(seed).setSampler(sampler);
        if (outputFormat != null) {
            b.setOutputFormat(outputFormat);
        }
        if (priority != null) {
            b.setPriority(priority);
        }
        b.setDeadline(deadline == null ? null : Instant.ofEpochMilli(deadline));
        if (clientMetadata != null) {
            b.setClientMetadata(Map.copyOf(clientMetadata));
        }
        return b.build();
    }
}
