package io.cogflow.gpu;

import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Finds this TaskManager's GPU: runs the discovery command for every GPU index of the host, then, under an
 * exclusive lock on the coordination file, takes one that no other live TaskManager holds and records it there
 * ({@code index pid start}). So two TaskManagers on one host get different GPUs, and a dead TaskManager's GPU goes
 * to the next one that starts. A TaskManager that asks again gets the GPU it already holds.
 *
 * <p>One GPU per TaskManager: TensorFlow Java maps one set of CUDA devices per process (tensorflow/tensorflow#19083),
 * so an amount above 1 is refused.
 */
public final class GpuDriver implements ExternalResourceDriver {

    private static final Pattern INDEX = Pattern.compile("\\d{1,4}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    /** {@link FileChannel#lock()} guards against other processes only: this serialises the JVM's own callers. */
    private static final Object JVM_LOCK = new Object();

    private final GpuDriverOptions options;
    private final ProcessHandle owner;

    public GpuDriver(GpuDriverOptions options) {
        this(options, ProcessHandle.current());
    }

    /** With another owner than this JVM: what a test uses to play two TaskManagers. */
    GpuDriver(GpuDriverOptions options, ProcessHandle owner) {
        this.options = options;
        this.owner = owner;
    }

    @Override
    public Set<GpuInfo> retrieveResourceInfo(long amount) throws Exception {
        if (amount < 1) {
            throw new IllegalArgumentException("external-resource.gpu.amount must be at least 1, not " + amount);
        }
        if (amount > 1) {
            throw new IllegalArgumentException("external-resource.gpu.amount is " + amount + ", but TensorFlow Java "
                    + "cannot map two GPUs in one process (tensorflow/tensorflow#19083: \"TensorFlow device (GPU:0) "
                    + "is being mapped to multiple CUDA devices\"): set external-resource.gpu.amount: 1 and run one "
                    + "TaskManager per GPU");
        }
        List<String> gpus = discover();
        List<String> taken = claim(gpus, (int) amount);
        Set<GpuInfo> infos = new LinkedHashSet<>();
        taken.forEach(i -> infos.add(new GpuInfo(i)));
        return infos;
    }

    /** Every GPU index the discovery command prints, in its order. */
    List<String> discover() throws IOException, InterruptedException {
        String command = String.join(" ", options.command());
        Path out = Files.createTempFile("cogflow-gpu-discovery", ".out");
        Path err = Files.createTempFile("cogflow-gpu-discovery", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(options.command()).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                throw new IOException("GPU discovery command '" + command + "' could not be started: "
                        + e.getMessage() + " (set external-resource.gpu.param.discovery-script.path)", e);
            }
            if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("GPU discovery command '" + command + "' did not finish within "
                        + options.timeout().toSeconds() + " s" + stderr(err));
            }
            if (p.exitValue() != 0) {
                throw new IOException("GPU discovery command '" + command + "' exited with " + p.exitValue()
                        + stderr(err));
            }
            return parse(Files.readString(out, StandardCharsets.UTF_8), command);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> parse(String output, String command) throws IOException {
        LinkedHashSet<String> indexes = new LinkedHashSet<>();
        for (String token : SEPARATORS.split(output.strip())) {
            if (token.isEmpty()) {
                continue;
            }
            if (!INDEX.matcher(token).matches()) {
                throw new IOException("GPU discovery command '" + command + "' printed " + quote(output)
                        + ", not GPU indexes such as 0,1 (comma- or newline-separated)");
            }
            indexes.add(String.valueOf(Integer.parseInt(token)));
        }
        if (indexes.isEmpty()) {
            throw new IOException("GPU discovery command '" + command + "' found no GPU (it printed nothing)");
        }
        return List.copyOf(indexes);
    }

    private static String stderr(Path err) throws IOException {
        String text = Files.readString(err, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? " and printed nothing on stderr" : "; stderr: " + quote(text);
    }

    private static String quote(String text) {
        String t = text.strip();
        return "'" + (t.length() > 500 ? t.substring(0, 500) + "…" : t) + "'";
    }

    /** A claim in the coordination file. {@code start} (epoch ms, or 0 when unknown) tells a reused pid apart. */
    record Claim(long pid, long start) {
        static Claim of(ProcessHandle p) {
            return new Claim(p.pid(), p.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        }

        boolean alive() {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            long now = Claim.of(p.get()).start;
            return start == 0 || now == 0 || now == start;
        }
    }

    /** Takes {@code amount} of {@code gpus} for the owner, its own earlier claims first, and records them. */
    List<String> claim(List<String> gpus, int amount) throws IOException {
        Path file = options.coordinationFile();
        Claim me = Claim.of(owner);
        synchronized (JVM_LOCK) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                Map<String, Claim> claims = read(ch, file);
                claims.values().removeIf(c -> c.pid() != me.pid() && !c.alive());
                List<String> taken = new ArrayList<>();
                for (String gpu : gpus) {
                    Claim c = claims.get(gpu);
                    if (c != null && c.pid() == me.pid() && taken.size() < amount) {
                        taken.add(gpu);
                    }
                }
                for (String gpu : gpus) {
                    if (taken.size() < amount && !claims.containsKey(gpu)) {
                        taken.add(gpu);
                    }
                }
                if (taken.size() < amount) {
                    StringBuilder held = new StringBuilder();
                    for (String gpu : gpus) {
                        held.append(held.isEmpty() ? "" : ", ").append(gpu).append(" by pid ")
                                .append(claims.get(gpu).pid());
                    }
                    throw new IOException("this TaskManager (pid " + me.pid() + ") needs " + amount + " GPU but "
                            + "every GPU of the host is held by another live TaskManager (" + held + "; "
                            + "coordination file " + file + "): run at most one TaskManager per GPU");
                }
                claims.values().removeIf(c -> c.pid() == me.pid());
                taken.forEach(gpu -> claims.put(gpu, me));
                write(ch, claims);
                return taken;
            }
        }
    }

    private static Map<String, Claim> read(FileChannel ch, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20));
        ch.read(buf, 0);
        Map<String, Claim> claims = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        for (String line : new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            try {
                if (f.length < 2 || !INDEX.matcher(f[0]).matches()) {
                    throw new NumberFormatException(l);
                }
                claims.put(String.valueOf(Integer.parseInt(f[0])),
                        new Claim(Long.parseLong(f[1]), f.length > 2 ? Long.parseLong(f[2]) : 0));
            } catch (NumberFormatException e) {
                throw new IOException("GPU coordination file " + file + " has a line that is not "
                        + "'<gpu index> <pid> <start ms>': " + quote(l) + "; delete the file when no TaskManager runs", e);
            }
        }
        return claims;
    }

    private static void write(FileChannel ch, Map<String, Claim> claims) throws IOException {
        StringBuilder sb = new StringBuilder("# cogflow GPU claims: <gpu index> <TaskManager pid> <its start, epoch ms>\n");
        claims.forEach((gpu, c) -> sb.append(gpu).append(' ').append(c.pid()).append(' ').append(c.start())
                .append('\n'));
        ch.truncate(0);
        ByteBuffer data = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        long pos = 0;
        while (data.hasRemaining()) {
            pos += ch.write(data, pos);
        }
        ch.force(true);
    }
}
