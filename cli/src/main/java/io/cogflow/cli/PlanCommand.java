package io.cogflow.cli;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.plan.Compute;
import io.cogflow.model.plan.CpuProbe;
import io.cogflow.model.plan.DenoiseGraph;
import io.cogflow.model.plan.DeviceSpec;
import io.cogflow.model.plan.DeviceTable;
import io.cogflow.model.plan.Fusion;
import io.cogflow.model.plan.PlanReport;
import io.cogflow.model.plan.PlanRequest;
import io.cogflow.model.plan.Planner;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.TransformerConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow plan}. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Roofline and memory plan of one denoise step on a device: FLOPs and bytes of every op of "
                + "the graph itself (an exported model's, or a transformer config.json's built without weights), "
                + "peak activations, the largest batch that fits, seconds per video and devices for a target. "
                + "Estimates, not measurements; on 'cpu' the device is measured first (a few seconds)."})
final class PlanCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "An exported model folder.")
        Path model;

        @Option(names = "--config", paramLabel = "FILE", description = "A transformer config.json (or a folder "
                + "holding one); the graph is built without weights, so full-size configs plan in seconds. Latents "
                + "are taken as a released CogVideoX VAE makes them (8x in space); for another VAE plan its export.")
        Path config;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--size", description = "WIDTHxHEIGHTxFRAMES (default: the model's first exported size, or "
            + "the config's sample size).")
    String size;

    @Option(names = "--gpu", required = true, paramLabel = "NAME",
            description = "h100, h200, a100, l40s (datasheet figures) or cpu (this machine, measured now).")
    String device;

    @Option(names = "--compute", description = "float32, tf32 or bfloat16: how matrix products run (default: "
            + "tf32 on a GPU, float32 on the cpu). For an exported model, types come from its graph and this "
            + "chooses float32 or tf32 for its float32 products.")
    String compute;

    @Option(names = "--fusion", defaultValue = "none", description = "none, xla (element-wise chains fused) or "
            + "xla-attention (also BatchMatMul-softmax-BatchMatMul as one kernel). Default: ${DEFAULT-VALUE}.")
    String fusion;

    @Option(names = "--batch", defaultValue = "2", description = "Transformer batch rows per call; a video takes "
            + "two with guidance. Default: ${DEFAULT-VALUE}.")
    long batch;

    @Option(names = "--steps", defaultValue = "50", description = "Denoising steps per video. Default: "
            + "${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--no-guidance", description = "Videos without classifier-free guidance (one row each).")
    boolean noGuidance;

    @Option(names = "--target-videos-per-hour", paramLabel = "V", defaultValue = "0",
            description = "Devices needed for this many videos per hour (needs --latency-bound).")
    double videosPerHour;

    @Option(names = "--latency-bound", paramLabel = "S", defaultValue = "0",
            description = "The longest a video's denoising may take, in seconds, for the target.")
    double latency;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "10", description = "List the N slowest ops with "
            + "their FLOPs, bytes and time (a number above the op count lists every op). Default: ${DEFAULT-VALUE}.")
    int listed;

    @Mixin
    AttentionOptions attention;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        VideoSize video = size == null ? null : VideoSize.parse(size);
        DeviceSpec spec = DeviceTable.lookup(device, () -> new CpuProbe(SessionOptions.defaults()).measure());
        Compute c = compute != null ? Compute.parse(compute) : spec.tf32Flops() > 0 ? Compute.TF32 : Compute.FLOAT32;
        DenoiseGraph graph;
        if (source.model != null) {
            graph = DenoiseGraph.exported(source.model, video);
        } else {
            TransformerConfig tc = TransformerConfig.load(source.config);
            VideoSize v = video != null ? video : new VideoSize(tc.sampleWidth() * DenoiseGraph.VAE_SPATIAL_SCALE,
                    tc.sampleHeight() * DenoiseGraph.VAE_SPATIAL_SCALE, tc.sampleFrames());
            graph = DenoiseGraph.fromConfig(tc, v, attention.budget());
        }
        PlanReport r = new Planner(graph).plan(new PlanRequest(spec, c, Fusion.parse(fusion), batch, steps,
                noGuidance ? 1 : 2, videosPerHour, latency), listed);
        print(out, r);
        json.result(r);
        return 0;
    }

    private static void print(PrintWriter out, PlanReport r) {
        out.printf(Locale.ROOT, "model       %s%n", r.model());
        out.printf(Locale.ROOT, "device      %s: %s%n", r.device(), r.deviceSource());
        out.printf(Locale.ROOT, "assuming    compute %s, fusion %s%n", r.compute(), r.fusion());
        out.printf(Locale.ROOT, "size        %s: latents %dx%dx%d, batch %d (%d row%s per video), %d steps%n",
                r.size(), r.latentFrames(), r.latentHeight(), r.latentWidth(), r.batch(), r.rowsPerVideo(),
                r.rowsPerVideo() == 1 ? "" : "s", r.steps());
        out.printf(Locale.ROOT, "work        %,d ops dispatched; %.3g FLOP (products %.3g, analytic %.3g); %.3g bytes "
                + "moved%n", r.ops(), r.graphFlops(), r.productFlops(), r.analyticFlops(), r.bytesMoved());
        out.printf(Locale.ROOT, "step        %.1f ms per call (%.1f ms of it dispatch overhead)%n",
                r.stepSeconds() * 1e3, r.overheadSeconds() * 1e3);
        out.printf(Locale.ROOT, "weights     %,d parameters: %s in float32, %s in bf16; this plan holds %s%n",
                r.parameters(), gb(4.0 * r.parameters()), gb(2.0 * r.parameters()), gb(r.weightBytes()));
        out.printf(Locale.ROOT, "memory      weights %s + constants %s + peak activations %s = %s of %s: %s%n",
                gb(r.weightBytes()), gb(r.constantBytes()), gb(r.peakActivationBytes()),
                gb(r.weightBytes() + r.constantBytes() + r.peakActivationBytes()), gb(r.deviceMemoryBytes()),
                r.fits() ? "fits" : "DOES NOT FIT");
        out.printf(Locale.ROOT, "max batch   %s%d rows fit the device memory%n",
                r.maxBatch() == Planner.BATCH_LIMIT ? "at least " : "", r.maxBatch());
        out.printf(Locale.ROOT, "per video   %.2f s of denoising (%d steps x %.1f ms / %d video%s per call)%n",
                r.secondsPerVideo(), r.steps(), r.stepSeconds() * 1e3, r.batch() / r.rowsPerVideo(),
                r.batch() / r.rowsPerVideo() == 1 ? "" : "s");
        if (r.target() != null) {
            PlanReport.Target t = r.target();
            if (t.batch() == 0) {
                out.printf(Locale.ROOT, "target      no batch denoises a video within %.1f s on this device%n",
                        t.latencySeconds());
            } else {
                out.printf(Locale.ROOT, "target      %.0f videos/h within %.1f s: %d device%s at batch %d (%.1f s per "
                                + "video, %.1f videos/h each)%n", t.videosPerHour(), t.latencySeconds(), t.devices(),
                        t.devices() == 1 ? "" : "s", t.batch(), t.videoLatencySeconds(), t.videosPerHourPerDevice());
            }
        }
        out.printf(Locale.ROOT, "%nwhere the time goes (per call)%n");
        out.printf(Locale.ROOT, "  %-18s %7s %12s %12s %10s %6s%n", "op type", "ops", "FLOP", "bytes", "ms", "share");
        r.byType().stream().limit(12).forEach(t -> out.printf(Locale.ROOT, "  %-18s %7d %12.3g %12.3g %10.2f %5.1f%%%n",
                t.type(), t.count(), t.flops(), t.bytes(), t.seconds() * 1e3, 100 * t.share()));
        out.printf(Locale.ROOT, "%nslowest ops%n");
        r.topOps().forEach(o -> out.printf(Locale.ROOT, "  %10.3f ms  %10.3g FLOP %10.3g bytes  %-14s %s%n",
                o.seconds() * 1e3, o.flops(), o.bytes(), o.type(), o.name()));
        out.printf(Locale.ROOT, "%n");
        r.notes().forEach(n -> out.printf(Locale.ROOT, "note        %s%n", n));
        out.flush();
    }

    private static String gb(double bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
