package io.cogflow.bench.decode;

import io.cogflow.bench.ProcessMemory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.vae.DecodeTiling;
import io.cogflow.model.vae.FrameChunks;
import io.cogflow.model.vae.VaeConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident memory and time of the exported decode, tiled and untiled, for one video of one size: each mode
 * runs in a fresh JVM ({@link DecodeProbe}) whose resident set is watched and which is stopped once it exceeds
 * the memory limit — so a decode that does not fit is reported as such instead of taking the machine down — and
 * when both modes finish, the difference between their videos.
 */
public final class DecodeMemoryBenchmark {

    /** One mode's run. {@code fitted} false: stopped at {@code peakRssBytes} above the limit, no times. */
    public record Row(String mode, boolean fitted, long peakRssBytes, double buildSeconds, double decodeSeconds,
                      double wallSeconds) {
    }

    /** Tiled against untiled videos, values in [0, 1]. */
    public record Difference(double maxAbs, double rms) {
    }

    /**
     * @param untiledChunkEstimateBytes {@link DecodeTiling#untiledChunkBytes}, the rule the export tiles by
     * @param exportTiles               whether {@link DecodeTiling#DEFAULT} tiles this size in an export
     */
    public record Result(int latentFrames, int latentHeight, int latentWidth, int videoFrames,
                         long untiledChunkEstimateBytes, boolean exportTiles, long memoryLimitBytes, List<Row> rows,
                         Difference difference) {
    }

    private final long memoryLimitBytes;
    private final Path work;
    private final Path vaeConfigFile;

    /** @param vaeConfigFile null for the full CogVideoX VAE (diffusers' defaults) */
    public DecodeMemoryBenchmark(long memoryLimitBytes, Path work, Path vaeConfigFile) {
        if (memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive");
        }
        this.memoryLimitBytes = memoryLimitBytes;
        this.work = work;
        this.vaeConfigFile = vaeConfigFile;
    }

    public VaeConfig config() {
        return vaeConfigFile == null ? DecodeProbe.fullConfig() : VaeConfig.load(vaeConfigFile);
    }

    /** Runs every mode (tiled, untiled) in order for latents of (frames, h, w); calls {@code each} per row. */
    public Result run(int latentFrames, int h, int w, List<String> modes, java.util.function.Consumer<Row> each) {
        VaeConfig c = config();
        List<Row> rows = new ArrayList<>();
        for (String mode : modes) {
            Row r = probe(mode, latentFrames, h, w);
            rows.add(r);
            each.accept(r);
        }
        Difference diff = null;
        if (rows.size() == 2 && rows.stream().allMatch(Row::fitted)) {
            diff = difference(dir(modes.get(0)).resolve(DecodeProbe.VIDEO),
                    dir(modes.get(1)).resolve(DecodeProbe.VIDEO));
        }
        return new Result(latentFrames, h, w, FrameChunks.decodedFrames(latentFrames, c.temporalCompressLevel()),
                DecodeTiling.untiledChunkBytes(c, latentFrames, h, w),
                DecodeTiling.DEFAULT.tilingFor(c, latentFrames, h, w) != null, memoryLimitBytes, rows, diff);
    }

    private Path dir(String mode) {
        return work.resolve(mode);
    }

    private Row probe(String mode, int frames, int h, int w) {
        try {
            Path out = dir(mode);
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(DecodeProbe.RESULT));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    DecodeProbe.class.getName(), mode, Integer.toString(frames), Integer.toString(h),
                    Integer.toString(w), out.toString()));
            if (vaeConfigFile != null) {
                cmd.add(vaeConfigFile.toString());
            }
            Path log = out.resolve("probe.log");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // a benchmark stopped from outside (Ctrl-C, timeout) must not leave a decode of many GB running
            Thread stopChild = new Thread(p::destroyForcibly, "stop-decode-probe");
            Runtime.getRuntime().addShutdownHook(stopChild);
            try {
                return watch(p, mode, out, log, start);
            } finally {
                if (!p.isAlive()) {
                    Runtime.getRuntime().removeShutdownHook(stopChild);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Samples the probe's resident set until it exits, stopping it above the limit. */
    private Row watch(Process p, String mode, Path out, Path log, long start) throws IOException, InterruptedException {
        ProcessMemory memory = new ProcessMemory(p.pid());
        long peak = 0;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, memory.rssBytes());
            if (peak > memoryLimitBytes) {
                p.destroyForcibly().waitFor();
                return new Row(mode, false, peak, Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(mode + " decode exited with " + p.exitValue() + "; its output is in "
                    + log);
        }
        DecodeProbe.ProbeResult r = new ObjectMapper().readValue(out.resolve(DecodeProbe.RESULT).toFile(),
                DecodeProbe.ProbeResult.class);
        return new Row(mode, true, Math.max(peak, r.peakRssBytes()), r.buildSeconds(), r.decodeSeconds(), wall);
    }

    /** Max and RMS difference of two raw float32 videos of the same size, read in blocks. */
    static Difference difference(Path a, Path b) {
        try (FileChannel ca = FileChannel.open(a); FileChannel cb = FileChannel.open(b)) {
            long bytes = ca.size();
            if (cb.size() != bytes) {
                throw new IllegalStateException(a + " and " + b + " differ in size");
            }
            double max = 0;
            double sum = 0;
            long block = 1L << 26;
            for (long at = 0; at < bytes; at += block) {
                long len = Math.min(block, bytes - at);
                MappedByteBuffer ma = ca.map(FileChannel.MapMode.READ_ONLY, at, len);
                MappedByteBuffer mb = cb.map(FileChannel.MapMode.READ_ONLY, at, len);
                var fa = ma.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                var fb = mb.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                while (fa.hasRemaining()) {
                    double d = fa.get() - fb.get();
                    max = Math.max(max, Math.abs(d));
                    sum += d * d;
                }
            }
            return new Difference(max, Math.sqrt(sum / (bytes / Float.BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
