package io.cogflow.model.vae;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.Conv3dGradient;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.TfTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training needs gradients through every op of the VAE graphs (Conv3D via the Java gradient, nearest-resize
 * gathers, causal padding, GroupNorm): the analytic gradient of a random functional of a chunk's output with
 * respect to its input matches finite differences.
 */
class VaeGradientTest {
    private static final VaeConfig SMALL = VaeConfig.from(ConfigJson.parse("""
            {"block_out_channels": [8, 16], "latent_channels": 4, "layers_per_block": 1, "norm_num_groups": 4,
             "temporal_compression_ratio": 2, "sample_height": 32, "sample_width": 32}"""));

    @ParameterizedTest
    @ValueSource(strings = {"decoder", "encoder"})
    void chunkGradientsMatchFiniteDifferences(String network) {
        Conv3dGradient.ensureRegistered();
        boolean decoder = network.equals("decoder");
        long[] inputShape = decoder ? new long[]{1, 4, 3, 2, 2} : new long[]{1, 3, 5, 4, 4};
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ModelVariables weights = new ModelVariables(tf, VaeParameters.specs(SMALL));
            ChunkGraph chunk = decoder ? DecoderGraph.build(tf, SMALL, weights, inputShape, false)
                    : EncoderGraph.build(tf, SMALL, weights, inputShape, false);
            Random r = new Random(11);
            HostTensor probe = VaeChunkingTest.gaussian(12, chunk.output().shape().asArray());
            Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(chunk.output(), tf.constant(
                    org.tensorflow.ndarray.Shape.of(probe.shape()), org.tensorflow.ndarray.buffer.DataBuffers.of(
                            probe.data(), true, false))), tf.constant(new int[]{0, 1, 2, 3, 4}));
            Gradients grad = tf.gradients(loss, List.of(chunk.input(), weights.get(
                    decoder ? "decoder.conv_in.conv.weight" : "encoder.conv_in.conv.weight")));
            try (Session s = new Session(g)) {
                weights.assignAll(s, RandomWeights.gaussian(3));
                HostTensor x = VaeChunkingTest.gaussian(13, inputShape);
                float[] analytic;
                try (TFloat32 in = TfTensors.floats(x);
                     Result res = s.runner().feed(chunk.input(), in).fetch(grad.dy(0)).fetch(grad.dy(1)).run()) {
                    analytic = TfTensors.toHost((TFloat32) res.get(0)).data();
                    assertThat(TfTensors.toHost((TFloat32) res.get(1)).allFinite()).isTrue();
                }
                double h = 1e-2;
                for (int n = 0; n < 12; n++) {
                    int i = r.nextInt(x.data().length);
                    float keep = x.data()[i];
                    x.data()[i] = (float) (keep + h);
                    double plus = eval(s, chunk, loss, x);
                    x.data()[i] = (float) (keep - h);
                    double minus = eval(s, chunk, loss, x);
                    x.data()[i] = keep;
                    double numeric = (plus - minus) / (2 * h);
                    assertThat((double) analytic[i]).as("d loss / d input[%d]", i)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-2 * (1 + Math.abs(numeric))));
                }
            }
        }
    }

    private static double eval(Session s, ChunkGraph chunk, Operand<TFloat32> loss, HostTensor x) {
        try (TFloat32 in = TfTensors.floats(x);
             Result res = s.runner().feed(chunk.input(), in).fetch(loss).run()) {
            return ((TFloat32) res.get(0)).getFloat();
        }
    }
}
