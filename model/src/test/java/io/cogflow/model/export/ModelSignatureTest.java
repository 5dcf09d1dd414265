package io.cogflow.model.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signed models: only a manifest signed by a trusted key loads once keys are configured. */
class ModelSignatureTest {
    @TempDir
    Path root;

    @Test
    void aModelSignedByATrustedKeyLoadsAndStaysIntact() throws Exception {
        Path dir = TinyManifests.write(root.resolve("m"));
        ModelKeys.generate(root.resolve("signer"));
        ModelSignature.sign(dir, ModelKeys.readPrivate(root.resolve("signer.key")));
        ModelTrust trust = ModelTrust.of(List.of(root.resolve("signer.pub")));
        assertThatCode(() -> trust.check(dir)).doesNotThrowAnyException();
        // the signature file is not an "unexpected file" of the model
        assertThatCode(() -> ModelManifest.readVerified(dir)).doesNotThrowAnyException();
        assertThatCode(() -> ModelTrust.ANY.check(dir)).doesNotThrowAnyException();
    }

    @Test
    void aManifestChangedAfterSigningIsRefused() throws Exception {
        Path dir = signed("m");
        Path manifest = dir.resolve(ModelManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("\"tiny\"", "\"evil\""));
        assertThatThrownBy(() -> trust().check(dir)).hasMessageContaining("not a valid signature")
            .hasMessageContaining("changed after signing");
    }

    @Test
    void aModelSignedByAnotherKeyIsRefused() throws Exception {
        Path dir = signed("m");
        ModelKeys.generate(root.resolve("stranger"));
        ModelTrust strangers = ModelTrust.of(List.of(root.resolve("stranger.pub")));
        assertThatThrownBy(() -> strangers.check(dir)).hasMessageContaining("by any of the 1 trusted key(s)");
        // one trusted key among several is enough
        assertThatCode(() -> ModelTrust.of(List.of(root.resolve("stranger.pub"), root.resolve("signer.pub")))
            .check(dir)).doesNotThrowAnyException();
    }

    @Test
    void anUnsignedOrGarbledModelIsRefusedOnceKeysAreConfigured() throws Exception {
        Path unsigned = TinyManifests.write(root.resolve("u"));
        ModelKeys.generate(root.resolve("signer"));
        assertThatThrownBy(() -> trust().check(unsigned)).hasMessageContaining("missing");
        Files.writeString(unsigned.resolve(ModelSignature.FILE), "not base64 at all!\n");
        assertThatThrownBy(() -> trust().check(unsigned)).hasMessageContaining("not a valid signature");
        assertThat(ModelTrust.ANY.requiresSignature()).isFalse();
    }

    @Test
    void keysInPemOrDerAreReadAndOtherFilesExplained() throws Exception {
        KeyPair pair = ModelKeys.generate(root.resolve("k"));
        Files.write(root.resolve("k.der"), pair.getPublic().getEncoded());
        assertThat(ModelKeys.readPublic(root.resolve("k.der"))).isEqualTo(pair.getPublic());
        assertThat(ModelKeys.readPublic(root.resolve("k.pub"))).isEqualTo(pair.getPublic());
        assertThat(Files.readString(root.resolve("k.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThatThrownBy(() -> ModelKeys.readPublic(root.resolve("k.key"))).hasMessageContaining("X.509 PEM or DER");
        assertThatThrownBy(() -> ModelKeys.readPrivate(root.resolve("k.pub"))).hasMessageContaining("PKCS#8 PEM or DER");
    }

    private Path signed(String name) throws Exception {
        Path dir = TinyManifests.write(root.resolve(name));
        ModelKeys.generate(root.resolve("signer"));
        ModelSignature.sign(dir, ModelKeys.readPrivate(root.resolve("signer.key")));
        return dir;
    }

    private ModelTrust trust() {
        return ModelTrust.of(List.of(root.resolve("signer.pub")));
    }
}
