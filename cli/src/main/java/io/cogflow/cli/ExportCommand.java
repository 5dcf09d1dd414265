package io.cogflow.cli;

import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelKeys;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.export.ModelSignature;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow export}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Build one TensorFlow SavedModel from a diffusers-format CogVideoX folder (transformer/, vae/, "
                + "scheduler/, and text_encoder/ + tokenizer/): signatures encode_text, and per video size denoise "
                + "and decode, the batch free; plus cogflow-model.json with the configs and every file's SHA-256."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, description = "The diffusers model folder.")
    Path from;

    @Option(names = "--to", required = true, description = "The output folder (new or empty).")
    Path to;

    @Option(names = "--dtype", description = "Weight storage: float32 or bfloat16 (half the size; a float32 graph "
            + "widens it where read). Default: the --compute type.")
    String dtype;

    @Option(names = "--compute", defaultValue = "float32", description = {"The precision the graph computes in: "
            + "float32, bfloat16 or float16. bfloat16/float16 run the matmuls and convolutions in that type with "
            + "norm statistics, softmax, elementwise arithmetic and the timestep sinusoid in float32, weights "
            + "stored in it (docs/precision.md). float16 only for the CogVideoX-2B family: 5B and 1.5 give NaN in fp16."})
    String compute;

    @Option(names = "--size", description = "A video size WIDTHxHEIGHTxFRAMES to support (repeatable; default: "
            + "the transformer's sample size).")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--name", description = "The name cogflow-model.json records as the model's source (default: "
            + "the --from folder's own name). A name, not a path.")
    String name;

    @Option(names = "--sign", paramLabel = "KEYFILE", description = {"Sign the manifest with this Ed25519 private "
            + "key (PKCS#8 PEM or DER, e.g. from: openssl genpkey -algorithm ed25519 -out KEYFILE), writing "
            + "cogflow-model.json.sig; a job with trusted keys loads only models signed by one of them."})
    Path sign;

    @Mixin
    AttentionOptions attention;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<VideoSize> parsed = sizes.stream().map(VideoSize::parse).toList();
        // read before the export, which takes minutes: a wrong key file fails at once
        PrivateKey key = sign == null ? null : ModelKeys.readPrivate(sign);
        ComputePrecision precision = ComputePrecision.parse(compute);
        String storage = dtype != null ? dtype : precision.id();
        ModelExporter.Result r = ModelExporter.export(from, to, new ExportOptions(storage, parsed,
                attention.budget(), name, precision));
        ModelManifest m = r.manifest();
        out.printf(Locale.ROOT, "exported    %s -> %s in %.1f s%n", from, to, r.seconds());
        out.printf(Locale.ROOT, "source      %s%n", m.source());
        out.printf(Locale.ROOT, "weights     %,d parameters as %s%n", r.parameters(), m.dtype());
        out.printf(Locale.ROOT, "compute     %s%n", m.compute().reduced() ? m.compute().id() + " matmuls, "
                + "convolutions and data movement; statistics, softmax, elementwise arithmetic and signature "
                + "inputs/outputs float32 (docs/precision.md)" : "float32");
        out.printf(Locale.ROOT, "text        %s%n", m.hasTextEncoder()
                ? "encode_text: " + m.textLength() + " tokens -> " + m.textEmbedDim() + "-dim embeddings"
                : "no text encoder (takes precomputed embeddings)");
        for (ModelManifest.Size s : m.sizes()) {
            out.printf(Locale.ROOT, "size        %s: latents %dx%dx%d, signatures %s, %s%n", s.video(), s.paddedFrames(),
                    s.latentHeight(), s.latentWidth(), s.denoise(), s.decode());
        }
        long bytes = m.files().keySet().stream().mapToLong(f -> to.resolve(f).toFile().length()).sum();
        out.printf(Locale.ROOT, "files       %d, %,d bytes, checksums in %s%n", m.files().size(), bytes,
                ModelManifest.FILE);
        if (key != null) {
            ModelSignature.sign(to, key);
            out.printf(Locale.ROOT, "signed      %s (Ed25519, key %s)%n", ModelSignature.FILE, sign);
        }
        out.flush();
        return 0;
    }
}
