package io.cogflow.cli;

import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import io.cogflow.model.tf.SessionOptions;
import picocli.CommandLine.Option;

import java.util.List;

/** TensorFlow runtime options shared by the commands that run a model. */
final class RuntimeOptions {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: one per core).")
    int threads;

    @Option(names = "--xla", split = ",", paramLabel = "KIND",
            description = "Signature kinds of an exported model compiled with XLA: encode_text, denoise, decode, or "
                    + "none (default: denoise, what cogflow bench xla measured faster on the CPU).")
    List<String> xla;

    @Option(names = "--text-encoder-device", defaultValue = "model",
            description = "Where an exported model's text encoder runs: model (with the rest, the GPU when there is "
                    + "one) or cpu (default model).")
    String textEncoderDevice;

    /** One line naming what the timings ran on, for benchmark output. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "cores %d, intra-op threads %s, java %s",
                Runtime.getRuntime().availableProcessors(), threads == 0 ? "auto" : threads,
                System.getProperty("java.version"));
    }

    /** The intra-op threads asked for; null when TensorFlow chooses (one per core). */
    Integer intraOpThreads() {
        return threads == 0 ? null : threads;
    }

    SessionOptions session() {
        return new SessionOptions(threads, 1);
    }

    /** How an exported model's graph is prepared (XLA per signature kind, the text encoder's device). */
    ModelLoadOptions loadOptions() {
        XlaSignatures x = xla == null ? XlaSignatures.DEFAULT
                : xla.equals(List.of("none")) ? XlaSignatures.NONE : XlaSignatures.of(xla);
        return ModelLoadOptions.defaults().withXla(x).withTextEncoder(TextEncoderDevice.parse(textEncoderDevice));
    }
}
