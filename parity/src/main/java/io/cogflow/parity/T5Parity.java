package io.cogflow.parity;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.t5.T5TextEncoder;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a T5 encoder checkpoint on the {@code input_ids} of a golden file and compares with its
 * {@code last_hidden_state}; optionally compares every module output with a reference intermediates file.
 */
public final class T5Parity {
    private T5Parity() {
    }

    public record Report(HostTensor output, Comparison comparison, long parameters, double seconds) {
    }

    public static Report run(Path model, Path golden, SessionOptions options) {
        requireInputs(model, golden);
        long[][] ids = inputIds(golden);
        HostTensor expected;
        try (SafetensorsFile g = SafetensorsFile.open(golden)) {
            expected = GoldenTensors.read(g, "last_hidden_state");
        }
        try (T5TextEncoder encoder = T5TextEncoder.load(model, options)) {
            long params = T5Parameters.count(encoder.config());
            long start = System.nanoTime();
            HostTensor out = encoder.encode(ids);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Report(out, Comparison.of(out, expected), params, seconds);
        }
    }

    /**
     * Compares each module output the reference recorded ({@code encoder.embed_tokens}, {@code encoder.block.i.0},
     * {@code encoder.block.i.1}, {@code encoder.final_layer_norm}, as in an intermediates safetensors file) with
     * ours, in module order; reference tensors this encoder does not produce are skipped.
     */
    public static Map<String, Comparison> intermediates(Path model, Path golden, Path intermediates,
                                                        SessionOptions options) {
        requireInputs(model, golden);
        if (!Files.isRegularFile(intermediates)) {
            throw new IllegalArgumentException("intermediates file not found: " + intermediates);
        }
        long[][] ids = inputIds(golden);
        Map<String, HostTensor> ours;
        try (T5TextEncoder encoder = T5TextEncoder.load(model, options)) {
            ours = encoder.intermediates(ids);
        }
        Map<String, Comparison> out = new LinkedHashMap<>();
        try (SafetensorsFile ref = SafetensorsFile.open(intermediates)) {
            for (Map.Entry<String, HostTensor> e : ours.entrySet()) {
                if (ref.tensors().containsKey(e.getKey())) {
                    out.put(e.getKey(), Comparison.of(e.getValue(), GoldenTensors.read(ref, e.getKey())));
                }
            }
        }
        return out;
    }

    private static void requireInputs(Path model, Path golden) {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (!Files.isRegularFile(golden)) {
            throw new IllegalArgumentException("golden file not found: " + golden);
        }
    }

    private static long[][] inputIds(Path golden) {
        try (SafetensorsFile g = SafetensorsFile.open(golden)) {
            String name = GoldenTensors.require(g, "input_ids");
            long[] shape = g.info(name).shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(golden + ": input_ids must be [B, L], got "
                        + g.info(name).shapeString());
            }
            long[] flat = g.readLongs(name);
            int len = (int) shape[1];
            long[][] ids = new long[(int) shape[0]][len];
            for (int b = 0; b < ids.length; b++) {
                System.arraycopy(flat, b * len, ids[b], 0, len);
            }
            return ids;
        }
    }
}
