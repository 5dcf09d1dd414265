package io.cogflow.model.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys for signing models, in the PEM files OpenSSL writes — so keys can be made and kept with standard
 * tools, no cogflow-specific format:
 *
 * <pre>
 * openssl genpkey -algorithm ed25519 -out model-signing.key        # PKCS#8 "PRIVATE KEY"
 * openssl pkey -in model-signing.key -pubout -out model-signing.pub # X.509 "PUBLIC KEY"
 * </pre>
 *
 * DER files (the same structures without the PEM armour) are read too.
 */
public final class ModelKeys {
    static final String ALGORITHM = "Ed25519";

    private ModelKeys() {
    }

    public static PrivateKey readPrivate(Path file) {
        return read(file, "PRIVATE KEY", "private key in PKCS#8", "openssl genpkey -algorithm ed25519 -out " + file,
                (f, der) -> f.generatePrivate(new PKCS8EncodedKeySpec(der)));
    }

    public static PublicKey readPublic(Path file) {
        return read(file, "PUBLIC KEY", "public key in X.509", "openssl pkey -in KEY -pubout -out " + file,
                (f, der) -> f.generatePublic(new X509EncodedKeySpec(der)));
    }

    /** How one kind of key is made from its DER bytes. */
    private interface Decoder<K> {
        K decode(KeyFactory factory, byte[] der) throws GeneralSecurityException;
    }

    private static <K> K read(Path file, String pemType, String what, String howToMake, Decoder<K> decoder) {
        try {
            return decoder.decode(KeyFactory.getInstance(ALGORITHM), der(file, pemType));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 " + what + " PEM or DER (make one with: "
                    + howToMake + "): " + e.getMessage(), e);
        }
    }

    /** A new key pair, written as {@code <prefix>.key} (owner-only where the file system allows) and {@code .pub}. */
    public static KeyPair generate(Path prefix) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Path key = Path.of(prefix + ".key");
            Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(Path.of(prefix + ".pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key pair " + prefix + ".key/.pub", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key " + file, e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int at = text.indexOf(begin);
        if (at < 0) {
            if (text.contains("-----BEGIN ")) {
                throw new IllegalArgumentException("expected a PEM block " + begin);
            }
            return bytes; // DER
        }
        int end = text.indexOf("-----END " + type + "-----", at);
        if (end < 0) {
            throw new IllegalArgumentException("unterminated PEM block " + begin);
        }
        return Base64.getMimeDecoder().decode(text.substring(at + begin.length(), end));
    }
}
