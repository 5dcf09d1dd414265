package io.cogflow.job;

import io.cogflow.connectors.claimcheck.ObjectPermissions;
import io.cogflow.model.export.ModelKeys;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the job config says about trusting models and about the claim-check files it writes. */
class ModelTrustConfigTest {
    @TempDir
    Path dir;

    @Test
    void withoutTrustedKeysAnyIntactModelLoadsAsBefore() throws Exception {
        JobConfig c = JobConfig.parse("model: {dir: " + TestModels.plumbing() + "}");
        assertThat(c.model().trustedKeys()).isEmpty();
        assertThat(c.model().trust()).isEqualTo(ModelTrust.ANY);
        try (BatchGenerator g = GeneratorFactory.TENSORFLOW.load(TestModels.plumbing(),
                new SessionOptions(1, 1, null), c.model().trust(), c.model().loadOptions())) {
            assertThat(g.manifest()).isNotNull();
        }
    }

    @Test
    void trustedKeysRefuseAnUnsignedModelWhereTheGeneratorLoadsIt() {
        ModelKeys.generate(dir.resolve("ops"));
        JobConfig c = JobConfig.parse("model: {dir: " + TestModels.plumbing() + ", trusted_keys: ["
                + dir.resolve("ops.pub") + "]}");
        assertThat(c.model().trustedKeys()).containsExactly(dir.resolve("ops.pub").toString());
        assertThatThrownBy(() -> GeneratorFactory.TENSORFLOW.load(TestModels.plumbing(),
                new SessionOptions(1, 1, null), c.model().trust(), c.model().loadOptions()))
                .hasMessageContaining("refusing exported model");
    }

    @Test
    void claimCheckFilesAreReadableByConsumersUnlessConfiguredOtherwise() {
        assertThat(JobConfig.parse("results: {inline_limit_bytes: 1}").results().claimCheckPermissions())
                .isEqualTo(ObjectPermissions.DEFAULT);
        assertThat(JobConfig.parse("results: {claim_check_mode: '0640'}").results().claimCheckPermissions())
                .isEqualTo(ObjectPermissions.parse("rw-r-----"));
        assertThatThrownBy(() -> JobConfig.parse("results: {claim_check_mode: '0999'}"))
                .hasMessageContaining("claim-check file mode");
    }
}
