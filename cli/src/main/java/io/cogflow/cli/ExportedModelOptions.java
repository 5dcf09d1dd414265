package io.cogflow.cli;

import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * How the commands that load an exported model (generate, evaluate, bench generate, bench profile) prepare its
 * graph. Kept apart from {@link RuntimeOptions} so that a command which builds its own graph (train, parity, the
 * component benchmarks) does not offer options it would ignore.
 */
final class ExportedModelOptions {
    @Option(names = "--xla", split = ",", paramLabel = "KIND",
            description = "Signature kinds of an exported model compiled with XLA: encode_text, denoise, decode, or "
                    + "none (default: denoise, what cogflow bench xla measured faster on the CPU).")
    List<String> xla;

    @Option(names = "--text-encoder-device", defaultValue = "model",
            description = "Where an exported model's text encoder runs: model (with the rest, the GPU when there is "
                    + "one) or cpu (default model).")
    String textEncoderDevice;

    /** XLA per signature kind and the text encoder's device, as the options ask. */
    ModelLoadOptions loadOptions() {
        XlaSignatures x = xla == null ? XlaSignatures.DEFAULT
                : xla.equals(List.of("none")) ? XlaSignatures.NONE : XlaSignatures.of(xla);
        return ModelLoadOptions.defaults().withXla(x).withTextEncoder(TextEncoderDevice.parse(textEncoderDevice));
    }
}
