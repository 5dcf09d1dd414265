package io.cogflow.bench.precision;

import io.cogflow.model.export.SavedModelWriter;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.StepStats;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one denoise call's time goes, by kernel: TensorFlow's own step statistics (a full trace) of the
 * signature, summed per kernel type as the runtime names it after its graph rewrites ({@code _MklMatMul},
 * {@code _MklFusedBatchMatMulV2}, {@code Cast}…), so that a float32 and a bf16 export can be compared kernel by
 * kernel: what bf16 saves in matmuls and what its Casts and slower elementwise kernels cost.
 */
public final class KernelProfile {
    /** Microseconds per kernel type (summed over the traced calls' mean) and kernel launches per call. */
    public record Kernel(String type, double micros, long launches) {
    }

    private KernelProfile() {
    }

    /** Traces {@code runs} denoise calls after one untraced warm-up; kernels sorted by time, largest first. */
    static List<Kernel> denoise(Path model, String signature, HostTensor latents, HostTensor text,
                                SessionOptions options, int runs) {
        try (SavedModelBundle b = SavedModelBundle.loader(model.toString()).withTags(SavedModelWriter.TAG)
                .withConfigProto(options.toConfigProto()).load()) {
            SignatureDef sig = b.metaGraphDef().getSignatureDefOrThrow(signature);
            long[] t = new long[(int) latents.dim(0)];
            Arrays.fill(t, 500);
            Map<String, Double> micros = new TreeMap<>();
            Map<String, Long> launches = new TreeMap<>();
            try (Tensor l = TfTensors.floats(latents); Tensor e = TfTensors.floats(text);
                 Tensor ts = TfTensors.longs(t)) {
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                feeds.put(sig.getInputsOrThrow("latents").getName(), l);
                feeds.put(sig.getInputsOrThrow("text").getName(), e);
                feeds.put(sig.getInputsOrThrow("timesteps").getName(), ts);
                String out = sig.getOutputsOrThrow("v").getName();
                call(b.session(), feeds, out, null);
                for (int i = 0; i < runs; i++) {
                    RunMetadata meta = call(b.session(), feeds, out, RunOptions.newBuilder()
                            .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
                    StepStats stats = meta.getStepStats();
                    for (var device : stats.getDevStatsList()) {
                        for (NodeExecStats n : device.getNodeStatsList()) {
                            String type = kernel(n);
                            micros.merge(type, (double) n.getAllEndRelMicros() / runs,
                                    Double::sum);
                            launches.merge(type, 1L, Long::sum);
                        }
                    }
                }
            }
            return micros.entrySet().stream().map(en -> new Kernel(en.getKey(), en.getValue(),
                            launches.get(en.getKey()) / runs))
                    .sorted((a, c) -> Double.compare(c.micros(), a.micros())).toList();
        }
    }

    private static RunMetadata call(Session s, Map<String, Tensor> feeds, String output, RunOptions options) {
        Session.Runner r = s.runner();
        feeds.forEach((name, tensor) -> r.feed(name, tensor));
        r.fetch(output);
        if (options == null) {
            r.run().close();
            return null;
        }
        r.setOptions(options);
        try (Result res = r.runAndFetchMetadata()) {
            return res.getMetadata().orElseThrow();
        }
    }

    /** The kernel type of a traced node: {@code "name = Type(inputs)"} in its timeline label. */
    private static String kernel(NodeExecStats n) {
        String label = n.getTimelineLabel();
        int eq = label.indexOf(" = ");
        int paren = label.indexOf('(', Math.max(eq, 0));
        if (eq < 0 || paren < 0) {
            return n.getNodeName().startsWith("_SOURCE") ? "_SOURCE" : "(other)";
        }
        return label.substring(eq + 3, paren);
    }
}
