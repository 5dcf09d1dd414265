package io.cogflow.model.pipeline;

import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.parity.PipelineParity;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference CogVideoXPipeline runs, replayed through exported SavedModels. */
class PipelineGoldenTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"cogvideox_2b_tiny, pipeline_2b_ddim, DDIM", "cogvideox_5b_tiny, pipeline_5b_dpm, DPM"})
    void referenceRunsReplayThroughTheExportedModel(String family, String run, String sampler) {
        Path src = TinyModels.assemble(tmp.resolve("src"), family);
        Path exported = ModelExporter.export(src, tmp.resolve("out"), new ExportOptions("float32",
                List.of(VideoSize.parse("64x64x9")), AttentionBudget.DEFAULT)).dir();
        PipelineParity.Report r = PipelineParity.run(exported, Golden.path(run + "/golden.safetensors"),
                SessionOptions.defaults());
        assertThat(r.exported()).isTrue();
        assertThat(r.sampler()).isEqualTo(sampler);
        assertThat(r.passed()).as("rel L2 %s", r.frames().relativeL2()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"cogvideox_5b_tiny, pipeline_5b_dpm"})
    void aDiffusersFolderIsExportedOnTheWay(String family, String run) {
        Path src = TinyModels.assemble(tmp.resolve("src"), family);
        PipelineParity.Report r = PipelineParity.run(src, Golden.path(run + "/golden.safetensors"),
                SessionOptions.defaults());
        assertThat(r.exported()).isFalse();
        assertThat(r.passed()).as("rel L2 %s", r.frames().relativeL2()).isTrue();
    }
}
