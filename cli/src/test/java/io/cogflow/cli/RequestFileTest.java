package io.cogflow.cli;

import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cogflow submit --file binds each line strictly onto the Avro GenerationRequest. */
class RequestFileTest {

    @Test
    void theKeysAreTheAvroFieldsInTheSchemasOrder() {
        assertThat(RequestLine.KEYS).containsExactlyElementsOf(GenerationRequest.getClassSchema().getFields().stream()
                .map(Schema.Field::name).toList());
    }

    @Test
    void everyFieldIsBound() {
        GenerationRequest r = RequestFile.parse("""
                {"request_id": "r-1", "prompt": "a red circle", "negative_prompt": "blur", "width": 96, "height": 64,
                 "frames": 17, "fps": 12, "steps": 20, "guidance": 4.5, "dynamic_cfg": true, "seed": 7,
                 "sampler": "dpm", "output_format": "png_sheet", "priority": 3, "deadline": 1800000000000,
                 "client_metadata": {"user": "ann"}}""".replace("\n", " "), "f:1");
        assertThat(r.getRequestId().toString()).isEqualTo("r-1");
        assertThat(r.getPrompt().toString()).isEqualTo("a red circle");
        assertThat(r.getNegativePrompt().toString()).isEqualTo("blur");
        assertThat(List.of(r.getWidth(), r.getHeight(), r.getFrames(), r.getFps(), r.getSteps(), r.getPriority()))
                .containsExactly(96, 64, 17, 12, 20, 3);
        assertThat(r.getGuidance()).isEqualTo(4.5);
        assertThat(r.getDynamicCfg()).isTrue();
        assertThat(r.getSeed()).isEqualTo(7L);
        assertThat(r.getSampler()).isEqualTo(Sampler.DPM);
        assertThat(r.getOutputFormat()).isEqualTo(OutputFormat.PNG_SHEET);
        assertThat(r.getDeadline()).isEqualTo(Instant.ofEpochMilli(1_800_000_000_000L));
        assertThat(r.getClientMetadata()).hasSize(1);
        assertThat(r.getClientMetadata().entrySet()).singleElement()
                .satisfies(e -> assertThat(e.getKey() + "=" + e.getValue()).isEqualTo("user=ann"));
    }

    @Test
    void absentFieldsKeepTheirDefaults() {
        GenerationRequest r = RequestFile.parse("{\"prompt\": \"a blue square\", \"guidance\": 6, "
                + "\"negative_prompt\": \"\"}", "f:1");
        assertThat(r.getRequestId().toString()).isNotBlank();
        assertThat(List.of(r.getWidth(), r.getHeight(), r.getFrames(), r.getFps(), r.getSteps(), r.getPriority()))
                .containsExactly(64, 64, 9, 8, 50, 0);
        assertThat(r.getGuidance()).isEqualTo(6.0);
        assertThat(r.getNegativePrompt().toString()).isEmpty();
        assertThat(r.getDynamicCfg()).isFalse();
        assertThat(r.getSeed()).isNull();
        assertThat(r.getSampler()).isNull();
        assertThat(r.getDeadline()).isNull();
        assertThat(r.getOutputFormat()).isEqualTo(OutputFormat.MP4);
        assertThat(r.getClientMetadata()).isEmpty();
        // nullable in the schema: null is the same as absent
        GenerationRequest n = RequestFile.parse("{\"request_id\": null, \"prompt\": \"x\", \"seed\": null, "
                + "\"sampler\": null, \"deadline\": null}", "f:1");
        assertThat(n.getRequestId().toString()).isNotBlank();
        assertThat(n.getSeed()).isNull();
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownKeys() {
        assertThatThrownBy(() -> RequestFile.parse("{\"prompt\": \"x\", \"widht\": 96}", "requests.jsonl:4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests.jsonl:4: unknown key \"widht\"; known keys: request_id, prompt, negative_prompt, "
                        + "width, height, frames, fps, steps, guidance, dynamic_cfg, seed, sampler, output_format, "
                        + "priority, deadline, client_metadata");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"width\": \"big\"               | key \"width\" must be an integer, got \"big\"",
            "\"width\": \"96\"                | key \"width\" must be an integer, got \"96\"",
            "\"steps\": 2.5                   | key \"steps\" must be an integer, got 2.5",
            "\"seed\": \"7\"                  | key \"seed\" must be an integer, got \"7\"",
            "\"guidance\": \"6\"              | key \"guidance\" must be a number, got \"6\"",
            "\"negative_prompt\": 7           | key \"negative_prompt\" must be a string, got 7",
            "\"dynamic_cfg\": 1               | key \"dynamic_cfg\" must be true or false, got 1",
            "\"dynamic_cfg\": \"true\"        | key \"dynamic_cfg\" must be true or false, got \"true\"",
            "\"output_format\": \"webm\"      | key \"output_format\" must be one of MP4, GIF, PNG_SHEET, got \"webm\"",
            "\"output_format\": 0             | key \"output_format\" must be one of MP4, GIF, PNG_SHEET, got 0",
            "\"sampler\": \"\"                | key \"sampler\" must be one of DDIM, DPM, got \"\"",
            "\"client_metadata\": {\"a\": 1}  | key \"client_metadata.a\" must be a string, got 1",
            "\"client_metadata\": [\"a\"]     | key \"client_metadata\" must be a map of keys to values, got an array",
            "\"width\": null                  | key \"width\" must not be null",
            "\"prompt\": \"x\", \"prompt\": \"y\" | not JSON: Duplicate field 'prompt'"})
    void aMistypedValueIsAnErrorNamingTheLineAndTheKey(String field, String message) {
        String line = field.contains("\"prompt\"") ? "{" + field + "}" : "{\"prompt\": \"x\", " + field + "}";
        assertThatThrownBy(() -> RequestFile.parse(line, "requests.jsonl:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requests.jsonl:2: " + message);
    }

    @Test
    void aLineMustBeOneJsonObject() {
        assertThatThrownBy(() -> RequestFile.parse("[1, 2]", "f:1")).hasMessage("f:1: a request must be a JSON object");
        assertThatThrownBy(() -> RequestFile.parse("{\"prompt\": }", "f:1")).hasMessageStartingWith("f:1: not JSON");
        assertThatThrownBy(() -> RequestFile.parse("{\"prompt\": \"x\"} {}", "f:1"))
                .hasMessageStartingWith("f:1: not JSON").hasMessageContaining("Trailing token");
    }

    @Test
    void theFileIsReadLineByLineAndAnErrorNamesItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requests.jsonl");
        Files.writeString(file, "{\"request_id\": \"a\", \"prompt\": \"x\"}\n\n{\"request_id\": \"b\", \"prompt\": \"y\"}\n");
        assertThat(RequestFile.read(file)).extracting(r -> r.getRequestId().toString()).containsExactly("a", "b");
        Files.writeString(file, "{\"prompt\": \"x\"}\n\n{\"prompt\": \"y\", \"height\": \"tall\"}\n");
        assertThatThrownBy(() -> RequestFile.read(file)).hasMessageStartingWith(file + ":3: key \"height\"");
    }

    @Test
    void submitRefusesABadFileBeforeSendingAnything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requests.jsonl");
        Files.writeString(file, "{\"prompt\": \"x\", \"widht\": 96}\n");
        // no broker at this address: the error must come from the file, before any connection
        CliRun run = CliRun.of("submit", "--bootstrap", "127.0.0.1:9", "--file", file.toString());
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err()).startsWith("cogflow: " + file + ":1: unknown key \"widht\"");
    }
}
