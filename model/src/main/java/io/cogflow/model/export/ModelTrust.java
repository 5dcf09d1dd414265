package io.cogflow.model.export;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * Which models a server loads. With no keys ({@link #ANY}) any intact model loads, as before signing existed.
 * With keys, a model loads only if its manifest carries a valid signature by one of them ({@link ModelSignature}):
 * an unsigned model, one signed by another key, or one whose manifest was changed after signing is refused — so
 * whoever can write the model folder (a shared volume, a download cache) cannot swap in a model of their own.
 */
public record ModelTrust(List<PublicKey> keys) {
    public static final ModelTrust ANY = new ModelTrust(List.of());

    public ModelTrust {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    }

    /** Trusts the Ed25519 public keys in these files ({@link ModelKeys#readPublic}); none: {@link #ANY}. */
    public static ModelTrust of(List<Path> publicKeyFiles) {
        return new ModelTrust(publicKeyFiles.stream().map(ModelKeys::readPublic).toList());
    }

    public boolean requiresSignature() {
        return !keys.isEmpty();
    }

    /** Refuses the model in {@code dir} unless this trust accepts its signature. */
    public void check(Path dir) {
        if (requiresSignature() && !ModelSignature.isSignedByOneOf(dir, keys)) {
            throw new IllegalArgumentException("refusing exported model " + dir + ": trusted keys are configured "
                    + "but " + ModelSignature.FILE + " is " + (java.nio.file.Files.isRegularFile(
                    dir.resolve(ModelSignature.FILE)) ? "not a valid signature of " + ModelManifest.FILE
                    + " by any of the " + keys.size() + " trusted key(s) (signed by another key, or changed after "
                    + "signing)" : "missing (sign it with cogflow export --sign KEY)"));
        }
    }
}
