package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.client.RequestProducer;
import io.cogflow.job.JobConfig;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code cogflow submit}. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Send generation requests to the requests topic: one per PROMPT argument (with the options "
                + "below), or one per line of a JSONL file with the GenerationRequest fields in snake_case "
                + "(request_id, prompt, width, height, frames, steps, guidance, seed, sampler, output_format, ...). "
                + "Prints the request ids; follow them with cogflow watch."})
final class SubmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "PROMPT", arity = "0..*", description = "Prompts to submit.")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--file", description = "A JSONL file of requests.")
    Path file;

    @Option(names = "--width", defaultValue = "64") int width;
    @Option(names = "--height", defaultValue = "64") int height;
    @Option(names = "--frames", defaultValue = "9") int frames;
    @Option(names = "--steps", defaultValue = "50") int steps;
    @Option(names = "--guidance", defaultValue = "6.0") double guidance;
    @Option(names = "--seed") Long seed;
    @Option(names = "--format", defaultValue = "MP4", description = "MP4, GIF or PNG_SHEET.") OutputFormat format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<GenerationRequest> requests = new ArrayList<>();
        for (String p : prompts) {
            requests.add(GenerationRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setPrompt(p)
                    .setWidth(width).setHeight(height).setFrames(frames).setSteps(steps).setGuidance(guidance)
                    .setSeed(seed).setOutputFormat(format).build());
        }
        if (file != null) {
            int line = 0;
            for (String text : Files.readAllLines(file)) {
                line++;
                if (!text.isBlank()) {
                    requests.add(fromJson(text, file + ":" + line));
                }
            }
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("nothing to submit: give prompts or --file requests.jsonl");
        }
        JobConfig.Kafka k = kafka.kafka();
        try (RequestProducer producer = new RequestProducer(k.bootstrapServers(), k.requestsTopic(),
                k.clientProperties())) {
            for (GenerationRequest r : requests) {
                producer.send(r);
                out.println(r.getRequestId());
            }
            producer.flush();
        }
        return 0;
    }

    static GenerationRequest fromJson(String text, String where) {
        try {
            JsonNode n = JSON.readTree(text);
            GenerationRequest.Builder b = GenerationRequest.newBuilder()
                    .setRequestId(n.hasNonNull("request_id") ? n.get("request_id").asText() : UUID.randomUUID().toString())
                    .setPrompt(n.path("prompt").asText(""))
                    .setWidth(n.path("width").asInt(64)).setHeight(n.path("height").asInt(64))
                    .setFrames(n.path("frames").asInt(9));
            if (n.has("negative_prompt")) b.setNegativePrompt(n.get("negative_prompt").asText());
            if (n.has("fps")) b.setFps(n.get("fps").asInt());
            if (n.has("steps")) b.setSteps(n.get("steps").asInt());
            if (n.has("guidance")) b.setGuidance(n.get("guidance").asDouble());
            if (n.has("dynamic_cfg")) b.setDynamicCfg(n.get("dynamic_cfg").asBoolean());
            if (n.hasNonNull("seed")) b.setSeed(n.get("seed").asLong());
            if (n.hasNonNull("sampler")) b.setSampler(Sampler.valueOf(n.get("sampler").asText().toUpperCase()));
            if (n.hasNonNull("output_format")) b.setOutputFormat(OutputFormat.valueOf(n.get("output_format").asText()
                    .toUpperCase()));
            if (n.has("priority")) b.setPriority(n.get("priority").asInt());
            if (n.hasNonNull("deadline")) b.setDeadline(java.time.Instant.ofEpochMilli(n.get("deadline").asLong()));
            if (n.has("client_metadata")) {
                Map<String, String> m = new HashMap<>();
                n.get("client_metadata").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
                b.setClientMetadata(m);
            }
            return b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException(where + ": not a request: " + e.getMessage(), e);
        }
    }
}
