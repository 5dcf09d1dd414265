package io.cogflow.cli;

import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.AttentionMemory;
import io.cogflow.model.transformer.DenoiserOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Locale;

/**
 * Options of the commands that build a transformer: the attention score memory for a whole batch — given in bytes,
 * or as a share of the target device's memory — and the largest batch it is planned for.
 */
final class AttentionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--attention-memory", paramLabel = "BYTES",
            description = "Attention score memory for a whole batch, e.g. 8GiB (default 8GiB unless --device-memory "
                    + "is given); queries are chunked above it.")
    String attentionMemory;

    @Option(names = "--device-memory", paramLabel = "BYTES",
            description = "Memory of the device the model is for, e.g. 80GiB: the attention budget is then "
                    + "--attention-fraction of it.")
    String deviceMemory;

    @Option(names = "--attention-fraction", defaultValue = "0.25",
            description = "With --device-memory: the share of it attention scores may take (default 0.25).")
    double attentionFraction;

    @Option(names = "--max-batch", defaultValue = "32",
            description = "The largest batch (transformer rows per call; a video with guidance takes two) the "
                    + "attention plan holds for; a larger batch is refused (default 32).")
    int maxBatch;

    AttentionBudget budget() {
        if (attentionMemory != null && deviceMemory != null) {
            throw new ParameterException(command.commandLine(),
                    "give either --attention-memory or --device-memory, not both");
        }
        try {
            AttentionMemory memory = deviceMemory != null
                    ? new AttentionMemory.DeviceShare(bytes(deviceMemory), attentionFraction)
                    : attentionMemory != null ? new AttentionMemory.Explicit(bytes(attentionMemory))
                    : AttentionBudget.DEFAULT.memory();
            return new AttentionBudget(memory, maxBatch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    DenoiserOptions denoiser(RuntimeOptions runtime) {
        return new DenoiserOptions(runtime.session(), budget());
    }

    /** A byte count: digits, optionally followed by KiB, MiB or GiB. */
    static long bytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][]{{"gib", "1073741824"}, {"mib", "1048576"}, {"kib", "1024"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a byte count (e.g. 8GiB, 512MiB, 1048576)");
        }
    }
}
