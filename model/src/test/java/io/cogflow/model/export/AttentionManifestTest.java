package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.AttentionMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attention plan an export records, read back by the serving side, which refuses larger batches. */
class AttentionManifestTest {

    private static ModelManifest manifest(AttentionBudget attention) {
        return new ModelManifest(ModelManifest.FORMAT_VERSION, "tiny", "float32", null, null, null, null, null, 8, 16,
                32, 1.0, 4, new ModelManifest.Geometry(8, 4, 2, 1),
                List.of(new ModelManifest.Size(new VideoSize(16, 16, 9), 3, 3, 2, 2, "denoise_16x16x9",
                        "decode_16x16x9")), Map.of(), ComputePrecision.FLOAT32, attention);
    }

    @Test
    void aDeviceSharePlanRoundTripsAndBoundsTheBatch(@TempDir Path dir) {
        AttentionBudget h100 = new AttentionBudget(new AttentionMemory.DeviceShare(80L << 30, 0.25), 4);
        manifest(h100).write(dir);
        ModelManifest read = ModelManifest.read(dir);
        assertThat(read.attention()).isEqualTo(h100);
        assertThat(read.attention().scoreBytes()).isEqualTo(20L << 30);
        assertThatCode(() -> read.requireAttentionBatch(4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> read.requireAttentionBatch(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 4 transformer rows").hasMessageContaining("--max-batch 5");
    }

    @Test
    void anExplicitPlanRoundTrips(@TempDir Path dir) {
        manifest(AttentionBudget.DEFAULT).write(dir);
        assertThat(ModelManifest.read(dir).attention()).isEqualTo(AttentionBudget.DEFAULT);
    }

    @Test
    void aModelExportedBeforeThePlanWasRecordedIsNotChecked(@TempDir Path dir) {
        manifest(null).write(dir);
        ModelManifest read = ModelManifest.read(dir);
        assertThat(read.attention()).isNull();
        assertThatCode(() -> read.requireAttentionBatch(1000)).doesNotThrowAnyException();
    }
}
