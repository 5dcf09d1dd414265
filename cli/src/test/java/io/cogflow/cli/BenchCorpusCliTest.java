package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cogflow bench corpus} as a user runs it: a small corpus against a local broker and the job with the demo
 * model. One record's expectation is deliberately wrong, so the tool must say mismatch and exit 1 — a tool that
 * always printed zeros would fail here.
 */
class BenchCorpusCliTest {
    private static String line(String name, byte[] key, byte[] value, String expect) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"name\": \"" + name + "\", \"key_b64\": " + (key == null ? "null" : "\"" + b64.encodeToString(key)
                + "\"") + ", \"value_b64\": \"" + b64.encodeToString(value) + "\", \"expect\": \"" + expect + "\"}";
    }

    @Test
    void printsALinePerRecordAndTheSummaryAndFailsOnAMismatch(@TempDir Path dir) throws Exception {
        WireFormat<GenerationRequest> wire = WireFormat.of(GenerationRequest.class);
        GenerationRequest.Builder valid = GenerationRequest.newBuilder().setRequestId("c-ok").setPrompt("a red circle")
                .setWidth(64).setHeight(64).setFrames(17).setSteps(1);
        Path corpus = dir.resolve("corpus.jsonl");
        Files.write(corpus, List.of(
                line("valid", "c-ok".getBytes(StandardCharsets.UTF_8), wire.encode(valid.build()), "result"),
                line("expired", null, wire.encode(valid.setRequestId("c-old").setDeadline(Instant.ofEpochMilli(5))
                        .build()), "expired"),
                line("garbage-said-to-succeed", null, "garbage".getBytes(StandardCharsets.UTF_8), "result")));
        Path config = Files.writeString(dir.resolve("job.yaml"), "generation: {slots: 1}\n");
        Path model = Path.of(System.getProperty("cogflow.root", "..")).resolve("model/demo-model");

        CliRun run = CliRun.of("bench", "corpus", "--file", corpus.toString(), "--config", config.toString(),
                "--model", model.toString(), "--work", dir.resolve("work").toString(), "--timeout", "240", "--json");
        System.out.println(run.err());

        assertThat(run.exit()).as(run.err()).isEqualTo(Cogflow.FAIL);
        List<String> text = run.err().lines().toList();
        assertThat(text.get(text.size() - 1))
                .isEqualTo("corpus: sent=3 answered=3 unanswered=0 restarts=0 mismatches=1");
        assertThat(run.err()).containsPattern("\\n\\s+1 ok\\s+valid\\s+expected result\\s+got result")
                .containsPattern("\\n\\s+2 ok\\s+expired\\s+expected expired\\s+got expired\\s+DEADLINE_PASSED")
                .containsPattern("\\n\\s+3 mismatch\\s+garbage-said-to-succeed\\s+expected result\\s+got dead_letter");
        JsonNode doc = JsonDocument.parse(run.out());
        assertThat(JsonDocument.number(doc, "mismatches")).isEqualTo(1);
        assertThat(JsonDocument.number(doc, "restarts")).isZero();
        assertThat(doc.get("records").get(2).get("verdict").asText()).isEqualTo("mismatch");
        assertThat(doc.get("records").get(2).get("outcome").asText()).isEqualTo("DEAD_LETTER");
    }
}
