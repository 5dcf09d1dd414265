package io.cogflow.connectors.claimcheck;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the claim check meets configuration: a store from a location string ({@link #forUri}), and, for consumers
 * that only have an object's URI, {@link #fetch} and {@link #initializeFileSystems}.
 */
public final class ClaimCheckStores {
    /** RFC 3986 scheme; two characters at least, so a Windows drive letter ({@code C:\x}) counts as a path. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    private ClaimCheckStores() {
    }

    /**
     * The store for a location: a URI of any scheme Flink has a file system for ({@code file:///shared/results},
     * {@code s3://bucket/prefix}, {@code hdfs://namenode/results}), or a plain local path ({@code /shared/results},
     * or {@code results}, relative to this JVM's working directory).
     *
     * @throws IllegalArgumentException a malformed location
     * @throws org.apache.flink.core.fs.UnsupportedFileSystemSchemeException no file system for the scheme here
     */
    public static ClaimCheckStore forUri(String location) throws IOException {
        return new FileSystemClaimCheckStore(location(location));
    }

    /** {@link #forUri(String)} with the mode of objects on a {@code file:} store (default 0644). */
    public static ClaimCheckStore forUri(String location, ObjectPermissions permissions) throws IOException {
        return new FileSystemClaimCheckStore(location(location), permissions);
    }

    /**
     * A location as the canonical directory URI {@link FileSystemClaimCheckStore} uses, without touching any
     * file system. A plain path is always local — not relative to Flink's {@code fs.default-scheme} — so it means
     * what it meant before the store moved onto Flink's file systems.
     */
    public static URI location(String location) {
        Objects.requireNonNull(location, "location");
        String s = location.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty claim-check store location");
        }
        var m = SCHEME.matcher(s);
        if (!m.find()) {
            return FileSystemClaimCheckStore.canonical(Path.of(s).toAbsolutePath().normalize().toUri());
        }
        URI uri = URI.create(s);
        if (m.group(1).toLowerCase(Locale.ROOT).equals("file")) {
            String host = uri.getAuthority();
            if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException("file: URI with a remote host is not supported: " + location
                    + " (use file:///path)");
            }
            if (host != null) {
                uri = URI.create("file://" + uri.getRawPath());
            }
        }
        return FileSystemClaimCheckStore.canonical(uri);
    }

    /**
     * Reads the object a result's claim-check reference points to, for consumers that know only the URI (not the
     * store's configuration). Any scheme this JVM has a Flink file system for; see {@link #initializeFileSystems}.
     * Only names the store writes are read, so a forged reference cannot make a consumer copy an arbitrary file.
     */
    public static byte[] fetch(URI uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        String path = uri.getPath();
        if (uri.getScheme() == null || uri.isOpaque() || path == null
            || !ClaimCheckNames.isObjectName(path.substring(path.lastIndexOf('/') + 1))) {
            throw new IllegalArgumentException("not a claim-check object URI: " + uri);
        }
        return ClaimCheckFileSystems.read(ClaimCheckFileSystems.get(uri), uri);
    }

    /**
     * Sets up Flink's file systems in a JVM outside a Flink cluster — a consumer such as {@code cogflow watch
     * --save} that fetches from an object store — the way Flink's own command line does: file systems come from
     * the classpath and from the plugins directory ({@code $FLINK_PLUGINS_DIR}, default {@code ./plugins}, one
     * folder per plugin), configured by {@code config} ({@code s3.access-key}, {@code s3.secret-key},
     * {@code s3.endpoint}, …). It replaces the file-system setup of the whole JVM, so call it once at startup.
     *
     * <p>Not needed for {@code file:} URIs (the local file system needs no setup), nor in a TaskManager, which does
     * this with the cluster's configuration when it starts.
     */
    public static void initializeFileSystems(Configuration config) {
        FileSystem.initialize(config, PluginUtils.createPluginManagerFromRootFolder(config));
    }
}
