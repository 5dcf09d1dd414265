package io.cogflow.model.transformer;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.TfTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attention planned for a whole batch on exported (free-batch) denoise graphs, in real sessions with seeded
 * weights: the unchunked q·kᵀ → softmax → ·v pattern and the chunked form agree at batch 1 and 3 for several chunk
 * counts, and the plan's score memory stays within the budget for every batch up to the max batch.
 */
class AttentionPlanTest {
    /** The tiny 2B config: 2 heads; 4 latent frames of 6×10 → 60 video + 12 text = 72 tokens. */
    private static final int FRAMES = 4;
    private static final int HEIGHT = 6;
    private static final int WIDTH = 10;
    private static final int TOKENS = 72;
    private static final int HEADS = 2;
    private static final int MAX_BATCH = 3;

    private static TransformerConfig config;
    private static Graph graph;
    private static Session session;
    private static DenoiseSignature unchunked;
    private static final Map<Integer, DenoiseSignature> CHUNKED = new LinkedHashMap<>();

    /** A budget of {@code rows} query rows per chunk at the max batch. */
    private static AttentionBudget rowsAtMaxBatch(int rows) {
        return new AttentionBudget(new AttentionMemory.Explicit((long) MAX_BATCH * HEADS * TOKENS * rows
                * AttentionBudget.SCORE_BYTES), MAX_BATCH);
    }

    @BeforeAll
    static void build() {
        config = TransformerConfig.load(Golden.path("cogvideox_2b_tiny"));
        graph = new Graph();
        Ops tf = Ops.create(graph);
        ModelVariables weights = new ModelVariables(tf, "transformer", TransformerParameters.specs(config),
                TFloat32.class);
        unchunked = DenoiseSignature.build(tf.withSubScope("whole"), config, weights, AttentionBudget.DEFAULT,
                FRAMES, HEIGHT, WIDTH, config.maxTextSeqLength());
        // 36 rows → 2 chunks, 24 → 3, 10 → 8 (7 × 10 + 2)
        for (int rows : new int[]{36, 24, 10}) {
            CHUNKED.put(rows, DenoiseSignature.build(tf.withSubScope("rows" + rows), config, weights,
                    rowsAtMaxBatch(rows), FRAMES, HEIGHT, WIDTH, config.maxTextSeqLength()));
        }
        session = new Session(graph, ConfigProto.getDefaultInstance());
        weights.assignAll(session, RandomWeights.gaussian(17));
    }

    @AfterAll
    static void close() {
        session.close();
        graph.close();
    }

    private static HostTensor run(DenoiseSignature s, int batch) {
        Random r = new Random(40 + batch);
        HostTensor latents = gaussian(r, batch, FRAMES, config.inChannels(), HEIGHT, WIDTH);
        HostTensor text = gaussian(r, batch, config.maxTextSeqLength(), config.textEmbedDim());
        long[] t = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = 999 - 321L * i;
        }
        try (TFloat32 l = TfTensors.floats(latents); TInt64 ts = TfTensors.longs(t); TFloat32 e = TfTensors.floats(text);
             Result out = session.runner().feed(s.latents(), l).feed(s.timesteps(), ts).feed(s.text(), e)
                     .fetch(s.v()).run()) {
            return TfTensors.toHost((TFloat32) out.get(0));
        }
    }

    private static HostTensor gaussian(Random r, long... shape) {
        HostTensor t = HostTensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void chunkedAttentionEqualsTheUnchunkedPatternAtEveryBatchUpToTheMax(int batch) {
        HostTensor whole = run(unchunked, batch);
        assertThat(whole.allFinite()).isTrue();
        for (Map.Entry<Integer, DenoiseSignature> e : CHUNKED.entrySet()) {
            HostTensor chunked = run(e.getValue(), batch);
            double max = 0;
            for (int i = 0; i < whole.data().length; i++) {
                max = Math.max(max, Math.abs(chunked.data()[i] - whole.data()[i]));
            }
            assertThat(max).as("%d rows per chunk at batch %d", e.getKey(), batch).isLessThan(1e-5);
        }
    }

    @Test
    void theGraphsHaveTheChunksThePlanSays() {
        // 2 layers; one score product per chunk
        assertThat(scoreProducts("whole")).hasSize(2);
        assertThat(scoreProducts("rows36")).hasSize(2 * 2);
        assertThat(scoreProducts("rows24")).hasSize(2 * 3);
        assertThat(scoreProducts("rows10")).hasSize(2 * 8);
    }

    @Test
    void theUnchunkedPatternIsBatchMatMulSoftmaxBatchMatMulWithoutSplitsOrControlEdges() {
        List<GraphOperation> scores = scoreProducts("whole");
        for (GraphOperation bmm : scores) {
            assertThat(bmm.numControlInputs()).isZero();
            GraphOperation softmax = onlyConsumer(bmm);
            assertThat(softmax.type()).isEqualTo("Softmax");
            assertThat(softmax.numControlInputs()).isZero();
            GraphOperation second = onlyConsumer(softmax);
            assertThat(second.type()).startsWith("BatchMatMul");
            assertThat(second.numControlInputs()).isZero();
            // q and k reach the first product whole: no Split between the projections and the scores
            assertThat(((GraphOperation) bmm.input(0).op()).type()).isNotEqualTo("Split").isNotEqualTo("SplitV");
        }
    }

    @Test
    void thePlanAtEveryBatchHoldsAtMostTheBudget() {
        for (int rows : new int[]{36, 24, 10}) {
            AttentionBudget budget = rowsAtMaxBatch(rows);
            AttentionPlan free = budget.plan(-1, HEADS, TOKENS);
            assertThat(free.batch()).isEqualTo(MAX_BATCH);
            assertThat(free.rowsPerChunk()).isEqualTo(rows);
            for (int b = 1; b <= MAX_BATCH; b++) {
                // the exported graph runs the free-batch plan at batch b
                long bytes = (long) b * HEADS * free.rowsPerChunk() * TOKENS * AttentionBudget.SCORE_BYTES;
                assertThat(bytes).isLessThanOrEqualTo(budget.scoreBytes());
                assertThat(budget.plan(b, HEADS, TOKENS).chunkScoreBytes()).isLessThanOrEqualTo(budget.scoreBytes());
            }
            assertThatThrownBy(() -> budget.plan(MAX_BATCH + 1, HEADS, TOKENS))
                    .hasMessageContaining("at most 3 transformer rows");
        }
        // the whole batch's scores fit the default: unchunked
        assertThat(AttentionBudget.DEFAULT.plan(-1, HEADS, TOKENS).unchunked()).isTrue();
    }

    @Test
    void aFullSizeCogVideoX5bPlanForAnH100() {
        // 480×720×49: 17,776 tokens, 48 heads; 2 videos with guidance = 4 rows; a quarter of 80 GiB for scores
        AttentionBudget h100 = new AttentionBudget(new AttentionMemory.DeviceShare(80L << 30, 0.25), 4);
        AttentionPlan p = h100.plan(-1, 48, 17_776);
        assertThat(p.chunkScoreBytes()).isLessThanOrEqualTo(20L << 30);
        assertThat(p.rowsPerChunk()).isEqualTo((int) ((20L << 30) / (4L * 48 * 17_776 * 4)));
        assertThat(p.chunks()).isEqualTo(12); // 1,573 rows per chunk
        assertThatThrownBy(() -> new AttentionBudget(new AttentionMemory.Explicit(1000), 2).plan(-1, 48, 17_776))
                .hasMessageContaining("below one query row");
    }

    private static List<GraphOperation> scoreProducts(String scope) {
        List<GraphOperation> out = new ArrayList<>();
        for (GraphOperation op : opsOfType(scope, "BatchMatMul")) {
            if (op.attributes().getAttrBool("adj_y")) {
                out.add(op);
            }
        }
        return out;
    }

    private static List<GraphOperation> opsOfType(String scope, String typePrefix) {
        List<GraphOperation> out = new ArrayList<>();
        for (var it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            if (op.name().startsWith(scope + "/") && op.type().startsWith(typePrefix)) {
                out.add(op);
            }
        }
        return out;
    }

    private static GraphOperation onlyConsumer(GraphOperation op) {
        var consumers = op.consumers(0);
        assertThat(consumers).hasSize(1);
        return consumers.iterator().next();
    }
}
