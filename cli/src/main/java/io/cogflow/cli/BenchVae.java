package io.cogflow.cli;

import io.cogflow.bench.model.VaeBenchmark;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench vae}. */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = {"Chunked VAE decode (and encode) time per video frame at several frame sizes. "
                + "Weights are seeded random values; the config defaults to the golden tiny VAE's."})
final class BenchVae implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "A VAE config.json to time instead of the tiny one.")
    Path config;

    @Option(names = "--size", split = ",", defaultValue = "64x64,256x256",
            description = "Frame sizes HxW in pixels (default 64x64,256x256).")
    List<String> sizes;

    @Option(names = "--latent-frames", defaultValue = "13", description = "Latent frames (13 -> 49 video frames).")
    int latentFrames;

    @Option(names = "--encode", description = "Also time encoding the same number of video frames.")
    boolean encode;

    @Mixin
    TimingOptions timing;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    JsonOutput json;

    /** The --json document; {@code configFile} is null when the built-in tiny config was timed. */
    record Result(Machine machine, Integer intraOpThreads, Path configFile, List<VaeBenchmark.Row> rows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        VaeConfig c = config == null ? VaeBenchmark.tinyConfig() : VaeConfig.load(config);
        List<int[]> hw = new ArrayList<>();
        for (String s : sizes) {
            String[] p = s.toLowerCase(Locale.ROOT).split("x");
            if (p.length != 2) {
                throw new ParameterException(spec.commandLine(), "--size needs HxW, got '" + s + "'");
            }
            hw.add(new int[]{Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())});
        }
        out.println(runtime.describe());
        out.printf(Locale.ROOT, "config %s%n%n", config == null ? "tiny (vae_tiny)" : config);
        out.printf(Locale.ROOT, "%-7s %9s %8s %8s %11s %10s %6s%n", "op", "size", "latents", "frames", "median ms",
                "ms/frame", "runs");
        out.flush();
        VaeBenchmark bench = new VaeBenchmark(new VaeOptions(runtime.session(), null, false), timing.minRuns,
                timing.minSeconds);
        List<VaeBenchmark.Row> rows = bench.run(c, latentFrames, hw, encode);
        for (VaeBenchmark.Row r : rows) {
            out.printf(Locale.ROOT, "%-7s %9s %8d %8d %11.1f %10.2f %6d%n", r.operation(), r.height() + "x" + r.width(),
                    r.latentFrames(), r.videoFrames(), r.medianMs(), r.msPerFrame(), r.runs());
            out.flush();
        }
        json.result(new Result(Machine.current(), runtime.intraOpThreads(), config, rows));
        return 0;
    }
}
