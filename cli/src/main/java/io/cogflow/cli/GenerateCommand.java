package io.cogflow.cli;

import io.cogflow.cli.console.ProgressLine;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoEncoder;
import io.cogflow.model.video.VideoEncoders;
import io.cogflow.model.video.VideoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Callable;

/** {@code cogflow generate}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a video from a prompt with an exported model (see cogflow export) and write it as "
                + "MP4 (H.264), animated GIF or a PNG contact sheet, chosen by the --out extension."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "An exported model folder (cogflow export).")
    Path model;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "What the video shows.")
    String prompt;

    @Option(names = "--negative", defaultValue = "", description = "Negative prompt (default empty).")
    String negative;

    @Option(names = "--width", description = "Width in pixels (default: the model's first exported size).")
    Integer width;

    @Option(names = "--height", description = "Height in pixels (default: the model's first exported size).")
    Integer height;

    @Option(names = "--frames", description = "Frames, 8k+1 (default: the model's first exported size).")
    Integer frames;

    @Option(names = "--steps", defaultValue = "50", description = "Denoising steps (default 50).")
    int steps;

    @Option(names = "--guidance", defaultValue = "6.0", description = "Classifier-free guidance (default 6; <= 1 off).")
    double guidance;

    @Option(names = "--dynamic-cfg", description = "Dynamic guidance as in CogVideoX's demo (with --sampler dpm).")
    boolean dynamicCfg;

    @Option(names = "--seed", description = "Random seed (default: random, printed).")
    Long seed;

    @Option(names = "--sampler", description = "ddim or dpm (default: the model's scheduler).")
    String sampler;

    @Option(names = "--fps", defaultValue = "8", description = "Frames per second of the file (default 8).")
    int fps;

    @Option(names = "--out", required = true, description = "Output file: .mp4, .gif or .png (contact sheet).")
    Path out;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ExportedModelOptions exported;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        VideoFormat format = VideoFormat.forExtension(extension(out));
        SamplerKind kind = sampler == null ? null : SamplerKind.parse(sampler);
        if (fps <= 0) {
            throw new IllegalArgumentException("--fps must be positive, got " + fps);
        }
        long started = System.nanoTime();
        try (VideoGenerator generator = VideoGenerator.load(model, runtime.session(), exported.loadOptions())) {
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            // one request: every shape it runs compiled (XLA) before the denoising starts, timed on its own
            ExportedModel.WarmUp warmUp = generator.warmUp(1);
            ModelManifest.Size first = generator.manifest().sizes().get(0);
            VideoSize size = new VideoSize(width == null ? first.video().width() : width,
                    height == null ? first.video().height() : height,
                    frames == null ? first.video().frames() : frames);
            long usedSeed = seed == null ? ThreadLocalRandom.current().nextLong(1L << 31) : seed;
            GenerationInput request = new GenerationInput("cli", prompt, negative, size, steps, guidance,
                    dynamicCfg, usedSeed, kind);
            GeneratedVideo video;
            try (ProgressLine denoising = new ProgressLine(stderr, StandardStreamWriter.isTerminal(stderr),
                    "denoising", "steps", request.steps())) {
                video = generator.generate(List.of(request), (step, all) -> denoising.update(step)).get(0);
            }
            long encodeStart = System.nanoTime();
            VideoEncoder encoder = VideoEncoders.forFormat(format);
            byte[] bytes = encoder.encode(video.frames(), fps);
            double encodeMs = (System.nanoTime() - encodeStart) / 1e6;
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, bytes);
            stdout.printf(Locale.ROOT, "wrote       %s (%s, %,d bytes, %s, %d fps)%n", out, format.mimeType(),
                    bytes.length, size, fps);
            stdout.printf(Locale.ROOT, "seed        %d%n", usedSeed);
            stdout.printf(Locale.ROOT, "model load  %.1f ms%n", loadSeconds * 1000);
            stdout.printf(Locale.ROOT, "warm-up     %d ms (%d signature calls)%n", warmUp.millis(), warmUp.calls());
            stdout.printf(Locale.ROOT, "stages      %s%n", video.timings().summary());
            stdout.printf(Locale.ROOT, "encode      %.1f ms (%s)%n", encodeMs, format);
            stdout.flush();
        }
        return 0;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("--out needs an extension: .mp4, .gif or .png");
        }
        return name.substring(dot + 1);
    }
}
