package io.cogflow.cli;

import io.cogflow.client.RequestProducer;
import io.cogflow.job.JobConfig;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.OutputFormat;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/** {@code cogflow submit}. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Send generation requests to the requests topic: one per PROMPT argument (with the options "
                + "below), or one per line of a JSONL file with the GenerationRequest fields in snake_case "
                + "(request_id, prompt, width, height, frames, steps, guidance, seed, sampler, output_format, ...); "
                + "an unknown key or a value of the wrong type is an error naming the line. "
                + "Waits until the broker acknowledged every request, then prints their ids; follow them with "
                + "cogflow watch. Exits 3 (error) when any request was not acknowledged within --send-timeout."})
final class SubmitCommand implements Callable<Integer> {
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

    @Option(names = "--send-timeout", defaultValue = "30", paramLabel = "SECONDS", description = {"How long a "
            + "request may take to be acknowledged (delivery.timeout.ms, and max.block.ms for finding the cluster) "
            + "unless kafka.client_properties set those; default: ${DEFAULT-VALUE}."})
    int sendTimeoutSeconds;

    @Mixin
    JsonOutput json;

    /** The --json document: the topic and the ids of the requests sent to it, in order. */
    record Result(String topic, List<String> requestIds) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        List<GenerationRequest> requests = new ArrayList<>();
        for (String p : prompts) {
            requests.add(GenerationRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setPrompt(p)
                    .setWidth(width).setHeight(height).setFrames(frames).setSteps(steps).setGuidance(guidance)
                    .setSeed(seed).setOutputFormat(format).build());
        }
        if (file != null) {
            requests.addAll(RequestFile.read(file));
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("nothing to submit: give prompts or --file requests.jsonl");
        }
        JobConfig.Kafka k = kafka.kafka();
        try (RequestProducer producer = new RequestProducer(k.bootstrapServers(), k.requestsTopic(),
                SendTimeout.of(sendTimeoutSeconds).applyTo(k.clientProperties()))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (GenerationRequest r : requests) {
                sent.add(producer.send(r));
            }
            producer.flush();
            // an id is printed only once the broker has it: a printed id is a request the job will see
            Acknowledgements.await(requests, sent, k.bootstrapServers(), sendTimeoutSeconds, out);
        }
        out.flush();
        json.result(new Result(k.requestsTopic(), requests.stream().map(r -> r.getRequestId().toString()).toList()));
        return 0;
    }
}
