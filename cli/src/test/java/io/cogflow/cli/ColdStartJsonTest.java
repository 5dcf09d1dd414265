package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.schemas.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The contract between demo --json and bench cold-start, without running either. */
class ColdStartJsonTest {

    private static DemoCommand.Result demo(Long firstResultEpochMillis) {
        return new DemoCommand.Result(Path.of("model/demo-model"), 25, 3.0, 3.4, firstResultEpochMillis == null
                ? null : 11.7, firstResultEpochMillis == null ? null : 1.6, firstResultEpochMillis, 15.7,
                List.of(new DemoCommand.RequestResult("demo-1", Status.SUCCEEDED, 64, 64, 17, 6, 5.82,
                        Path.of("cogflow-out/demo-1.mp4"), null)), List.of("demo-2"));
    }

    @Test
    void demosDocumentHasSnakeCaseKeysAndNumbersAsNumbers() {
        JsonNode n = JsonDocument.parse(ResultJson.text(demo(1_800_000_012_000L)));
        assertThat(JsonDocument.number(n, "broker_up_seconds")).isEqualTo(3.4);
        assertThat(JsonDocument.number(n, "first_result_seconds")).isEqualTo(11.7);
        assertThat(JsonDocument.number(n, "model_load_seconds")).isEqualTo(1.6);
        assertThat(JsonDocument.number(n, "all_done_seconds")).isEqualTo(15.7);
        assertThat(n.get("first_result_epoch_millis").isIntegralNumber()).isTrue();
        assertThat(n.get("first_result_epoch_millis").asLong()).isEqualTo(1_800_000_012_000L);
        assertThat(n.get("model").asText()).isEqualTo("model/demo-model");
        JsonNode row = n.get("results").get(0);
        assertThat(row.get("request_id").asText()).isEqualTo("demo-1");
        assertThat(row.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(JsonDocument.number(row, "batch_size")).isEqualTo(6);
        assertThat(JsonDocument.number(row, "seconds")).isEqualTo(5.82);
        assertThat(row.get("file").asText()).isEqualTo("cogflow-out/demo-1.mp4");
        assertThat(row.get("error_message").isNull()).isTrue();
        assertThat(n.get("missing_request_ids").get(0).asText()).isEqualTo("demo-2");
    }

    @Test
    void coldStartTimesTheFirstResultFromTheLaunchOfTheDemosJvm() {
        DemoCommand.Result read = ResultJson.read(ResultJson.text(demo(1_800_000_012_000L)), DemoCommand.Result.class);
        assertThat(read).isEqualTo(demo(1_800_000_012_000L));
        BenchColdStart.Times t = BenchColdStart.times(read, 1_800_000_000_000L);
        assertThat(t.launchToFirstResultSeconds()).isCloseTo(12.0, within(1e-9));
        assertThat(t.inJvmFirstResultSeconds()).isEqualTo(11.7);
        assertThat(t.brokerUpSeconds()).isEqualTo(3.4);
        assertThat(t.modelLoadSeconds()).isEqualTo(1.6);
        assertThat(t.allDoneSeconds()).isEqualTo(15.7);
    }

    @Test
    void aDemoWithoutAResultIsNoColdStartMeasurement() {
        DemoCommand.Result none = ResultJson.read(ResultJson.text(demo(null)), DemoCommand.Result.class);
        assertThat(none.firstResultSeconds()).isNull();
        assertThatThrownBy(() -> BenchColdStart.times(none, 0)).hasMessageContaining("no result");
    }

    @Test
    void anUnknownKeyInDemosDocumentIsAnError() {
        String doc = ResultJson.text(demo(1L)).replace("\"broker_up_seconds\"", "\"broker_seconds\"");
        assertThatThrownBy(() -> ResultJson.read(doc, DemoCommand.Result.class))
                .hasMessageContaining("broker_seconds");
    }

    @Test
    void theMedianIsTakenPerColumn() {
        BenchColdStart.Times m = BenchColdStart.median(List.of(new BenchColdStart.Times(14.6, 14.1, 3.4, 1.6, 15.9),
                new BenchColdStart.Times(14.5, 14.0, 3.3, 1.5, 15.1), new BenchColdStart.Times(10.9, 10.4, 3.2, 1.5,
                        13.5)));
        assertThat(m).isEqualTo(new BenchColdStart.Times(14.5, 14.0, 3.3, 1.5, 15.1));
    }

    @Test
    void aNumberThatIsNotFiniteIsNullNotAString() {
        record Measured(double psnrDb, Double rate) {
        }
        JsonNode n = JsonDocument.parse(ResultJson.text(new Measured(Double.NaN, Double.POSITIVE_INFINITY)));
        assertThat(n.get("psnr_db").isNull()).isTrue();
        assertThat(n.get("rate").isNull()).isTrue();
    }
}
