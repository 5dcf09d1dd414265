package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.util.List;

import static io.cogflow.model.vae.VaeChunkingTest.gaussian;
import static io.cogflow.model.vae.VaeChunkingTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exported decode signature tiled in the graph (real session, the golden tiny VAE's weights): the same
 * video as the Java-session tiled decode, close to the untiled signature, and tiling chosen by memory.
 */
class TiledDecodeSignatureTest {
    /** 32-px tiles (4 latents) advancing 24 px (3 latents), blended over 8 px: a 7×7 latent frame is 3×3 tiles. */
    private static final VaeTiling TILES = new VaeTiling(32, 32, 0.25, 0.25);
    private static final int FRAMES = 5;
    private static final int SIZE = 7;

    private static Graph graph;
    private static Session session;
    private static DecodeSignature tiled;
    private static DecodeSignature untiled;
    private static CogVideoXVae javaTiled;

    @BeforeAll
    static void build() {
        Path dir = Golden.path("vae_tiny");
        VaeConfig config = VaeConfig.load(dir);
        graph = new Graph();
        Ops tf = Ops.create(graph);
        ModelVariables weights = new ModelVariables(tf, "vae", VaeParameters.decoderSpecs(config),
                TFloat32.class);
        tiled = DecodeSignature.build(tf.withSubScope("tiled"), config, weights, FRAMES, SIZE, SIZE, TILES);
        untiled = DecodeSignature.build(tf.withSubScope("untiled"), config, weights, FRAMES, SIZE, SIZE, null);
        session = new Session(graph, ConfigProto.getDefaultInstance());
        try (Checkpoint c = Checkpoint.open(io.cogflow.model.config.ModelFolder.component(dir, "vae"))) {
            weights.load(session, c, List.of("encoder."));
        }
        javaTiled = CogVideoXVae.load(dir, VaeOptions.defaults().withTiling(TILES));
    }

    @AfterAll
    static void close() {
        javaTiled.close();
        session.close();
        graph.close();
    }

    private static HostTensor run(DecodeSignature s, HostTensor z) {
        try (TFloat32 in = TfTensors.floats(z);
             Result r = session.runner().feed(s.latents(), in).fetch(s.video()).run()) {
            return TfTensors.toHost((TFloat32) r.get(0));
        }
    }

    /** The pipeline's postprocess of a raw decode (B, C, F, H, W): clip(x/2 + 1/2) as (B, F, C, H, W). */
    private static HostTensor asVideo(HostTensor x) {
        long[] s = x.shape();
        HostTensor out = HostTensor.zeros(s[0], s[2], s[1], s[3], s[4]);
        long hw = s[3] * s[4];
        for (int b = 0; b < s[0]; b++) {
            for (int c = 0; c < s[1]; c++) {
                for (int f = 0; f < s[2]; f++) {
                    int from = (int) ((((long) b * s[1] + c) * s[2] + f) * hw);
                    int to = (int) ((((long) b * s[2] + f) * s[1] + c) * hw);
                    for (int i = 0; i < hw; i++) {
                        out.data()[to + i] = Math.max(0f, Math.min(1f, x.data()[from + i] * 0.5f + 0.5f));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theTiledSignatureDecodesAsTheJavaSessionTiledDecodeForEveryVideoOfABatch() {
        HostTensor z = gaussian(31, 2, 4, FRAMES, SIZE, SIZE);
        HostTensor inGraph = run(tiled, z);
        assertThat(inGraph.shape()).containsExactly(2, 17, 3, 56, 56);
        assertThat(maxAbsDiff(inGraph, asVideo(javaTiled.decode(z)))).isLessThan(1e-5);
    }

    @Test
    void tiledStaysWithinTheTilingDifferenceOfUntiled() {
        HostTensor z = gaussian(32, 1, 4, FRAMES, SIZE, SIZE);
        HostTensor a = run(tiled, z);
        HostTensor b = run(untiled, z);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.data().length; i++) {
            num += Math.pow(a.data()[i] - b.data()[i], 2);
            den += Math.pow(b.data()[i] - 0.5, 2);
        }
        // tiles see less context and their own GroupNorm statistics: close, but not equal (docs/benchmarks.md, decode memory)
        assertThat(Math.sqrt(num / den)).isGreaterThan(0).isLessThan(0.5);
        // the top-left tile's kept part sees the same inputs as untiled decoding only up to its border
        assertThat(maxAbsDiff(a, b)).isGreaterThan(0);
    }

    @Test
    void theFullVaeIsTiledAt480x720AndNotWithinOneTile() {
        VaeConfig full = VaeConfig.from(ConfigJson.parse("{}"));
        // 10 live tensors × 4 bytes × 9 frames × 480·720 pixels × 128 channels
        assertThat(DecodeTiling.untiledChunkBytes(full, 13, 60, 90)).isEqualTo(10L * 4 * 9 * 480 * 720 * 128);
        assertThat(DecodeTiling.DEFAULT.tilingFor(full, 13, 60, 90)).isEqualTo(VaeTiling.reference(full));
        assertThat(DecodeTiling.DEFAULT.tilingFor(full, 13, 30, 45)).isNull();
        // 256×384: 4.2 GiB estimated, under the 8 GiB default (tiling would not lower its peak)
        assertThat(DecodeTiling.DEFAULT.tilingFor(full, 13, 32, 48)).isNull();
        // a budget large enough for the whole frame keeps it untiled
        assertThat(new DecodeTiling(15L << 30).tilingFor(full, 13, 60, 90)).isNull();
    }

    @Test
    void theTinyVaeOfTheGoldensIsNeverTiledAtItsSizes() {
        VaeConfig tiny = javaTiled.config();
        assertThat(DecodeTiling.DEFAULT.tilingFor(tiny, 13, 8, 8)).isNull();
        assertThat(DecodeTiling.DEFAULT.tilingFor(tiny, 3, 32, 32)).isNull();
    }
}
