package io.cogflow.model.transformer;

import io.cogflow.model.testing.RandomTensors;
import io.cogflow.parity.Comparison;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedAttentionTest {

    @ParameterizedTest
    @ValueSource(strings = {"cogvideox_2b_tiny", "cogvideox_5b_tiny", "cogvideox15_tiny"})
    void chunkedAttentionStaysWithinBudgetAndEqualsUnchunked(String family) {
        // B=2, 2 heads, S = 12 text + 4·3·5 = 72 tokens → 2·2·72·72 = 20,736 scores unchunked
        long budget = 2 * 2 * 72 * 10 * AttentionBudget.SCORE_BYTES; // ten query rows per chunk → 8 chunks
        Random r = new Random(3);
        int frames = family.equals("cogvideox15_tiny") ? 8 : 4;
        HostTensor latents = RandomTensors.gaussian(r, 2, frames, 4, 6, 10);
        HostTensor text = RandomTensors.gaussian(r, 2, 12, 32);
        long[] t = {999, 421};
        HostTensor whole;
        try (TransformerDenoiser m = TransformerDenoiser.load(Golden.path(family), DenoiserOptions.defaults())) {
            whole = m.denoise(latents, t, text);
            assertThat(scoreSizes(m)).allSatisfy(n -> assertThat(n).isEqualTo(2L * 2 * 72 * 72));
        }
        DenoiserOptions tight = DenoiserOptions.defaults().withAttention(
                new AttentionBudget(new AttentionMemory.Explicit(budget), 2));
        try (TransformerDenoiser m = TransformerDenoiser.load(Golden.path(family), tight)) {
            HostTensor chunked = m.denoise(latents, t, text);
            Comparison c = Comparison.of(chunked, whole);
            assertThat(c.maxAbsError()).as(c.summary()).isLessThan(1e-5);
            List<Long> sizes = scoreSizes(m);
            // 2 layers × 8 chunks, none above the budget
            assertThat(sizes).hasSize(2 * 8)
                    .allSatisfy(n -> assertThat(n * AttentionBudget.SCORE_BYTES).isLessThanOrEqualTo(budget));
        }
    }

    @Test
    void aBudgetBelowOneQueryRowIsRefused() {
        assertThatThrownBy(() -> new AttentionBudget(new AttentionMemory.Explicit(100), 2)
                .queryRowsPerChunk(2, 48, 17_776))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below one query row");
        // the default budget (8 GiB for the whole batch) chunks a full-size CogVideoX-5B call (B=2, 48 heads,
        // 17,776 tokens)
        int rows = AttentionBudget.DEFAULT.queryRowsPerChunk(2, 48, 17_776);
        assertThat((long) rows * 2 * 48 * 17_776 * 4).isLessThanOrEqualTo(8L << 30);
        assertThat(rows).isEqualTo(1258);
    }

    @Test
    void aFullSizeCogVideoX5bCallIsPlannedWithinTheDefaultBudget() {
        // 480×720 px, 49 frames: 13×60×90 latents → 17,550 video + 226 text tokens; CFG batch 2.
        // Only the graph is built (weights are never assigned), so this runs on any machine.
        TransformerConfig c = ParameterCountTest.reference("cogvideox-5b");
        try (TransformerDenoiser m = TransformerDenoiser.unassigned(c, DenoiserOptions.defaults())) {
            m.prepare(2, 13, 60, 90, 226);
            List<Long> sizes = scoreSizes(m);
            // 42 layers × ⌈17,776 / 1,258⌉ = 15 chunks
            assertThat(sizes).hasSize(42 * 15).allSatisfy(n -> assertThat(n * AttentionBudget.SCORE_BYTES)
                    .isLessThanOrEqualTo(AttentionBudget.DEFAULT.scoreBytes()));
            // the chunks of each layer score every query row exactly once: together they are the unchunked scores
            long unchunked = 2L * 48 * 17_776 * 17_776;
            assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(42 * unchunked);
        }
    }

    /** Element counts of the q·kᵀ products (the batch matmuls whose last axis is the key count). */
    private static List<Long> scoreSizes(TransformerDenoiser m) {
        List<Long> sizes = new ArrayList<>();
        for (var it = m.graph().operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            if (op.type().startsWith("BatchMatMul") && op.attributes().getAttrBool("adj_y")) {
                sizes.add(op.output(0).shape().size());
            }
        }
        return sizes;
    }
}
