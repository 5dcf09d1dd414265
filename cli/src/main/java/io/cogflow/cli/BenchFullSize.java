package io.cogflow.cli;

import io.cogflow.bench.fullsize.FullSizeBenchmark;
import io.cogflow.bench.fullsize.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code cogflow bench full-size}. */
@Command(name = "full-size", mixinStandardHelpOptions = true,
        description = {"A released-size model end to end: writes a CogVideoX folder with seeded weights in the hubs' "
                + "sharded layout (BF16), exports it, loads the export, runs one encode_text and one denoise. "
                + "Prints time and peak resident memory (VmHWM) of each step; each of write, export and run is "
                + "its own JVM. Needs disk for the folder and the export (2B: ~14 GB each in bfloat16)."})
final class BenchFullSize implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "2b",
            description = "Which released transformer config: 2b or 5b (testdata/reference-configs).")
    String model;

    @Option(names = "--transformer-config",
            description = "A transformer config.json to write instead of --model's (e.g. fewer layers, for a "
                    + "smaller run of the same shapes).")
    Path transformerConfig;

    @Option(names = "--text-encoder-config", description = "A T5 encoder config.json instead of T5-XXL's.")
    Path textEncoderConfig;

    @Option(names = "--without-text-encoder",
            description = "Write no text_encoder/ and tokenizer/: denoise runs on seeded text embeddings, and "
                    + "there is no encode_text step (how a 5B transformer is measured where T5-XXL does not fit "
                    + "next to it).")
    boolean withoutTextEncoder;

    @Option(names = "--dir", required = true,
            description = "Where to write model/ and export/ (both deleted at the end unless --keep).")
    Path dir;

    @Option(names = "--compute", defaultValue = "float32",
            description = "The export's compute precision (cogflow export --compute): float32 or bfloat16.")
    String compute;

    @Option(names = "--dtype",
            description = "The export's weight storage: float32 or bfloat16 (default: the compute precision's "
                    + "type when reduced, else bfloat16, since a float32 full-size model does not fit 24 GiB).")
    String dtype;

    @Option(names = "--size", defaultValue = "64x64x9", description = "The exported video size WxHxF.")
    String size;

    @Option(names = "--shard-bytes", defaultValue = "2000000000",
            description = "Largest weight file of the written folder; bigger components are sharded.")
    long shardBytes;

    @Option(names = "--seed", defaultValue = "17", description = "Seed of the weights.")
    long seed;

    @Option(names = "--heap", defaultValue = "3g", description = "-Xmx of each step's JVM.")
    String heap;

    @Option(names = "--max-rss-gib", defaultValue = "19.5",
            description = "A step whose resident memory passes this is killed, and the run reports it.")
    double maxRssGib;

    @Option(names = "--steps", split = ",", defaultValue = "write,export,run",
            description = "Which of write, export, run to do; a step left out must have left its folder in --dir "
                    + "(an earlier run with --keep). Lets the cheap write run outside a big-memory lock.")
    List<String> steps;

    @Option(names = "--keep", description = "Keep model/ and export/.")
    boolean keep;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    JsonOutput json;

    record Result(Machine machine, Path transformerConfig, Path textEncoderConfig, String dtype, String compute,
                  String size,
                  String heap, FullSizeBenchmark.Result run) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        String storage = dtype != null ? dtype : compute.equals("float32") ? "bfloat16" : compute;
        Path configs = RepositoryPaths.home().resolve("testdata").resolve("reference-configs");
        Path transformer = transformerConfig != null ? transformerConfig : switch (model) {
            case "2b" -> configs.resolve("cogvideox-2b.json");
            case "5b" -> configs.resolve("cogvideox-5b.json");
            default -> throw new IllegalArgumentException("--model must be 2b or 5b, got '" + model + "'");
        };
        Path textEncoder = withoutTextEncoder ? null : textEncoderConfig != null ? textEncoderConfig
                : configs.resolve("t5_v1_1_xxl_encoder.json");
        FullSizeBenchmark.Options options = new FullSizeBenchmark.Options(transformer,
                configs.resolve("cogvideox-vae.json"), textEncoder,
                withoutTextEncoder ? null : RepositoryPaths.demoModel().resolve("assets").resolve("spiece.model"),
                shardBytes, seed, dir, storage,
                compute, size, runtime.threads, heap, (long) (maxRssGib * (1L << 30)), Set.copyOf(steps), keep);
        out.println(runtime.describe());
        out.printf(Locale.ROOT, "transformer %s, text encoder %s, seeded BF16 weights; export --dtype %s --compute %s, size %s; "
                + "each step's JVM -Xmx%s%n%n", transformer.getFileName(), textEncoder == null ? "none" : textEncoder.getFileName(), storage, compute, size,
                heap);
        out.printf(Locale.ROOT, "%-12s %10s %14s %14s  %s%n", "step", "seconds", "peak RSS GiB", "RSS after GiB",
                "what");
        out.flush();
        FullSizeBenchmark.Result r = FullSizeBenchmark.run(options, s -> {
            out.printf(Locale.ROOT, "%-12s %10.1f %14.2f %14.2f  %s%n", s.step(), s.seconds(), gib(s.peakRssBytes()),
                    gib(s.rssAfterBytes()), s.detail());
            out.flush();
        });
        if (r.stopped() != null) {
            out.printf(Locale.ROOT, "%nSTOPPED: %s%n", r.stopped());
        }
        out.printf(Locale.ROOT, "%nmodel folder %.2f GiB, export %.2f GiB on disk%s%n", gib(r.modelFolderBytes()),
                gib(r.exportBytes()), keep ? " (kept in " + dir + ")" : " (deleted)");
        json.result(new Result(Machine.current(), transformer, textEncoder, storage, compute, size, heap, r));
        return r.stopped() == null ? 0 : 1;
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
