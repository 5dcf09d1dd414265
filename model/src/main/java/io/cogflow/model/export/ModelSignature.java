package io.cogflow.model.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * {@code cogflow-model.json.sig}: an Ed25519 signature over the exact bytes of the manifest, base64 on one line.
 * Signing the manifest is enough to sign the model: it holds the SHA-256 of every file, and load refuses a file
 * that differs from it or is not listed ({@link ModelManifest#verify}).
 */
public final class ModelSignature {
    public static final String FILE = ModelManifest.FILE + ".sig";

    private ModelSignature() {
    }

    /** Signs the manifest of the exported model in {@code dir}, writing {@link #FILE} next to it. */
    public static void sign(Path dir, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(ModelKeys.ALGORITHM);
            s.initSign(key);
            s.update(Files.readAllBytes(dir.resolve(ModelManifest.FILE)));
            Files.writeString(dir.resolve(FILE), Base64.getEncoder().encodeToString(s.sign()) + "\n");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (an Ed25519 private key is needed): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign the model in " + dir, e);
        }
    }

    /** Whether {@link #FILE} is a valid signature of the manifest by one of {@code keys}; false when absent. */
    static boolean isSignedByOneOf(Path dir, List<PublicKey> keys) {
        Path sig = dir.resolve(FILE);
        if (!Files.isRegularFile(sig)) {
            return false;
        }
        try {
            byte[] manifest = Files.readAllBytes(dir.resolve(ModelManifest.FILE));
            byte[] signature = Base64.getDecoder().decode(Files.readString(sig, StandardCharsets.US_ASCII).strip());
            for (PublicKey k : keys) {
                Signature s = Signature.getInstance(ModelKeys.ALGORITHM);
                s.initVerify(k);
                s.update(manifest);
                if (s.verify(signature)) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // not base64, or not a signature of the right length: not signed by any key
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signature of the model in " + dir, e);
        }
    }
}
