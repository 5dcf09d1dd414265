package io.cogflow.connectors.claimcheck;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Picks a {@link ClaimCheckStore} from a configuration string.
 *
 * <p>Today only directories: {@code file:///shared/results} or a plain path ({@code /shared/results},
 * {@code results}) gives a {@link FileClaimCheckStore}. The {@link ClaimCheckStore} interface is ready for object
 * stores ({@code s3://bucket/prefix}, {@code gs://...}); until one is added here such URIs are refused with an
 * {@link IllegalArgumentException} that names the scheme.
 */
public final class ClaimCheckStores {
    /** RFC 3986 scheme; two characters at least, so a Windows drive letter ({@code C:\x}) counts as a path. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    private ClaimCheckStores() {
    }

    public static ClaimCheckStore forUri(String uri) {
        Objects.requireNonNull(uri, "uri");
        String s = uri.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty claim-check store location");
        }
        var m = SCHEME.matcher(s);
        if (!m.find()) {
            return new FileClaimCheckStore(Path.of(s));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            URI parsed = URI.create(s);
            if (parsed.isOpaque() || parsed.getPath() == null || parsed.getPath().isEmpty()) {
                throw new IllegalArgumentException("file: URI needs an absolute path (file:///dir): " + uri);
            }
            if (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty()
                && !parsed.getAuthority().equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException("file: URI with a remote host is not supported: " + uri
                    + " (use file:///path)");
            }
            return new FileClaimCheckStore(Path.of(parsed.getPath()));
        }
        throw new IllegalArgumentException("unsupported claim-check store scheme '" + scheme + "' in " + uri
            + ": only file: URIs and plain directory paths are supported (object stores are not implemented yet)");
    }

    /**
     * Reads the object a result's claim-check reference points to, for consumers that know only the URI (not the
     * store's configuration).
     */
    public static byte[] fetch(URI uri) throws java.io.IOException {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("cannot fetch claim-check object " + uri + ": only file: URIs are "
                + "supported");
        }
        return java.nio.file.Files.readAllBytes(Path.of(uri));
    }
}
