package io.cogflow.job;

import io.cogflow.scheduling.AdaptivePolicy;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.SignatureKind;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code model.xla} and {@code model.text_encoder_device} make of the generators' load options. */
class ModelLoadConfigTest {

    @Test
    void absentKeysGiveTheMeasuredDefaults() {
        ModelLoadOptions o = JobConfig.parse("model: {dir: m}").model().loadOptions();
        assertThat(o.xla()).isEqualTo(XlaSignatures.DEFAULT);
        assertThat(o.xla().kinds()).containsExactly(SignatureKind.DENOISE);
        assertThat(o.textEncoder()).isEqualTo(TextEncoderDevice.MODEL);
        assertThat(new JobConfig.Model("m", 1).loadOptions()).isEqualTo(o);
    }

    @Test
    void theKeysChooseXlaPerSignatureKindAndTheTextEncoderDevice() {
        JobConfig.Model m = JobConfig.parse("model: {dir: m, xla: [decode, encode_text], text_encoder_device: cpu}")
                .model();
        assertThat(m.loadOptions().xla().kinds()).isEqualTo(Set.of(SignatureKind.DECODE, SignatureKind.ENCODE_TEXT));
        assertThat(m.loadOptions().textEncoder()).isEqualTo(TextEncoderDevice.CPU);
        assertThat(m.withDir("other").loadOptions()).isEqualTo(m.loadOptions());
        assertThat(JobConfig.parse("model: {dir: m, xla: []}").model().loadOptions().xla())
                .isEqualTo(XlaSignatures.NONE);
    }

    @Test
    void unknownKindsAndDevicesAreRefusedWhenTheConfigIsRead() {
        assertThatThrownBy(() -> JobConfig.parse("model: {dir: m, xla: [vae]}"))
                .hasMessageContaining("unknown signature kind 'vae'");
        assertThatThrownBy(() -> JobConfig.parse("model: {dir: m, xla: [denoise, denoise]}"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> JobConfig.parse("model: {dir: m, text_encoder_device: gpu}"))
                .hasMessageContaining("unknown text encoder device 'gpu'");
    }

    @Test
    void theBatchingSaysTheLargestBatchEachBucketCanRun() {
        FixedWaitPolicy fixed = new FixedWaitPolicy(new FixedWaitPolicy.Limits(4, 100),
                Map.of("64x64x17", new FixedWaitPolicy.Limits(8, 100)));
        assertThat(fixed.maxBatch(VideoSize.parse("64x64x17"))).isEqualTo(8);
        assertThat(fixed.maxBatch(VideoSize.parse("64x64x9"))).isEqualTo(4);
        BatchProfile profile = new BatchProfile("m", "cpu", "2026-12-01", 25, 6, Map.of("64x64x17", List.of(
                new BatchProfile.Point(1, 1000, 900, 100), new BatchProfile.Point(2, 1200, 1000, 200))));
        AdaptivePolicy adaptive = new AdaptivePolicy(profile, 10_000, fixed);
        assertThat(adaptive.maxBatch(VideoSize.parse("64x64x17"))).isEqualTo(adaptive.batchSize(
                VideoSize.parse("64x64x17"))).isEqualTo(2);
        assertThat(adaptive.maxBatch(VideoSize.parse("64x64x9"))).isEqualTo(4);
    }
}
