package io.cogflow.cli;

import io.cogflow.bench.decode.DecodeMemoryBenchmark;
import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.vae.VaeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench decode}. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Peak resident memory, time and output difference of the exported decode signature, tiled and "
                + "untiled, for one video: each mode in a fresh JVM, stopped if it exceeds --memory-limit-gib. "
                + "Weights and latents are seeded random values; the VAE defaults to the full CogVideoX one."})
final class BenchDecode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "720x480x49", description = "Video size WIDTHxHEIGHTxFRAMES.")
    String size;

    @Option(names = "--mode", split = ",", defaultValue = "tiled,untiled",
            description = "Modes to run, in order: tiled, untiled (default both).")
    List<String> modes;

    @Option(names = "--memory-limit-gib", defaultValue = "20",
            description = "Stop a decode whose resident memory exceeds this (GiB).")
    double memoryLimitGib;

    @Option(names = "--config", description = "A VAE config.json instead of the full CogVideoX VAE.")
    Path config;

    @Option(names = "--work", defaultValue = "target/bench/decode", description = "Where the decoded videos go.")
    Path work;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        for (String m : modes) {
            if (!m.equals("tiled") && !m.equals("untiled")) {
                throw new ParameterException(spec.commandLine(), "--mode takes tiled and untiled, got '" + m + "'");
            }
        }
        PrintWriter out = json.text();
        DecodeMemoryBenchmark bench = new DecodeMemoryBenchmark((long) (memoryLimitGib * (1L << 30)), work, config);
        VaeConfig c = bench.config();
        VideoSize video = VideoSize.parse(size);
        // the transformer's patching does not matter for the VAE: patch 1
        LatentGeometry g = LatentGeometry.of(video, c.spatialScale(), 1 << c.temporalCompressLevel(), 1, 1);
        out.printf(Locale.ROOT, "VAE %s%nvideo %s: latents %dx%dx%d, one video per decode%n%n",
                config == null ? "full CogVideoX (diffusers defaults)" : config, video, g.latentFrames(),
                g.latentHeight(), g.latentWidth());
        out.printf(Locale.ROOT, "%-8s %7s %14s %10s %11s %10s%n", "mode", "fitted", "peak RSS GiB", "build s",
                "decode s", "wall s");
        out.flush();
        DecodeMemoryBenchmark.Result r = bench.run(g.latentFrames(), g.latentHeight(), g.latentWidth(), modes, row -> {
            out.printf(Locale.ROOT, "%-8s %7s %s%14.2f %10.1f %11.1f %10.1f%n", row.mode(), row.fitted() ? "yes" : "no",
                    row.fitted() ? " " : ">", row.peakRssBytes() / (double) (1L << 30), row.buildSeconds(),
                    row.decodeSeconds(), row.wallSeconds());
            out.flush();
        });
        out.printf(Locale.ROOT, "%nuntiled chunk estimate %.2f GiB; an export %s this size (above %.2f GiB)%n",
                r.untiledChunkEstimateBytes() / (double) (1L << 30), r.exportTiles() ? "tiles" : "does not tile",
                io.cogflow.model.vae.DecodeTiling.DEFAULT.maxChunkBytes() / (double) (1L << 30));
        if (r.difference() != null) {
            out.printf(Locale.ROOT, "tiled - untiled video (values in [0, 1]): max |d| %.4f, RMS %.5f%n",
                    r.difference().maxAbs(), r.difference().rms());
        }
        out.flush();
        json.result(r);
        return 0;
    }
}
