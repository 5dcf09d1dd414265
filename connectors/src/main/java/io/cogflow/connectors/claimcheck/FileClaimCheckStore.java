package io.cogflow.connectors.claimcheck;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link ClaimCheckStore} on a directory (local disk, or a shared mount such as NFS that every task manager sees).
 *
 * <p>Names: {@code <prefix>-<hash>.<extension>}, where {@code prefix} is the request id with every character
 * outside {@code [A-Za-z0-9_-]} replaced by {@code _}, cut to 48 characters, and {@code hash} is the first 16 hex
 * digits (64 bits) of SHA-256 over the UTF-8 request id. The prefix keeps names readable; the hash keeps ids that
 * sanitize alike ({@code a/b}, {@code a_b}, {@code a?b}) apart. No separator or dot survives sanitizing, so a name
 * can never leave the directory ({@code ../x} becomes {@code ___x-<hash>.mp4}).
 *
 * <p>Writes go to a temporary file in the same directory, then are moved over the final name (atomic where the
 * file system supports it), so a reader or a replay never sees a torn file.
 */
public final class FileClaimCheckStore implements ClaimCheckStore {
    private static final long serialVersionUID = 1L;
    static final int PREFIX_LENGTH = 48;
    static final int HASH_HEX_DIGITS = 16;

    private final String directoryName; // Path is not Serializable
    private transient Path directory;

    public FileClaimCheckStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.directoryName = this.directory.toString();
    }

    public Path directory() {
        return directory;
    }

    /** The file name used for a request id and extension (see the class comment). */
    public static String objectName(String requestId, String extension) {
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isEmpty()) {
            throw new IllegalArgumentException("requestId is empty");
        }
        StringBuilder prefix = new StringBuilder();
        requestId.codePoints().limit(PREFIX_LENGTH).forEach(c -> prefix.append(
            (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) ? (char) c : '_'));
        String hash = sha256(requestId.getBytes(StandardCharsets.UTF_8)).substring(0, HASH_HEX_DIGITS);
        return prefix + "-" + hash + "." + sanitizeExtension(extension);
    }

    @Override
    public StoredObject put(String requestId, byte[] data, String mimeType, String extension) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mimeType, "mimeType");
        String name = objectName(requestId, extension);
        Files.createDirectories(directory);
        Path target = directory.resolve(name);
        Path temp = Files.createTempFile(directory, ".tmp-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(data);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return new StoredObject(target.toUri(), data.length, sha256(data), mimeType);
    }

    @Override
    public byte[] get(URI uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a file: URI: " + uri);
        }
        Path file = Path.of(uri).toAbsolutePath().normalize();
        if (!directory.equals(file.getParent())) {
            throw new IllegalArgumentException(uri + " is not an object of the claim-check store in " + directory);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such claim-check object (expired or never stored?)");
        }
    }

    @Override
    public String toString() {
        return "FileClaimCheckStore[" + directory + "]";
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String sanitizeExtension(String extension) {
        Objects.requireNonNull(extension, "extension");
        String e = extension.startsWith(".") ? extension.substring(1) : extension;
        if (e.isEmpty() || e.length() > 16 || !e.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("extension must be 1-16 ASCII letters or digits: '" + extension + "'");
        }
        return e.toLowerCase(Locale.ROOT);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        directory = Path.of(directoryName);
    }
}
