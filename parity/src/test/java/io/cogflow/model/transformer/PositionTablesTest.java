package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.parity.Comparison;
import io.cogflow.parity.GoldenTensors;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PositionTablesTest {

    @ParameterizedTest
    @CsvSource({"cogvideox_5b_tiny, 3", "cogvideox15_tiny, 4"})
    void ropeTablesEqualTheReferencePipeline(String family, int latentFrames) {
        TransformerConfig c = TransformerConfig.load(Golden.path(family));
        // the golden tables were computed for 64×64 px = 8×8 latents
        RotaryPositions rope = RotaryPositions.of(c, LatentGrid.of(c, latentFrames, 8, 8));
        try (SafetensorsFile g = SafetensorsFile.open(Golden.path(family + "/golden.safetensors"))) {
            HostTensor cos = GoldenTensors.read(g, "rope_cos");
            HostTensor sin = GoldenTensors.read(g, "rope_sin");
            long[] shape = {rope.tokens(), rope.headDim()};
            Comparison cc = Comparison.of(new HostTensor(shape, rope.cos()), cos);
            Comparison cs = Comparison.of(new HostTensor(shape, rope.sin()), sin);
            assertThat(cc.maxAbsError()).as(cc.summary()).isLessThan(1e-6);
            assertThat(cs.maxAbsError()).as(cs.summary()).isLessThan(1e-6);
        }
    }

    @Test
    void fullSize5bGridIsTheIntegerTrainingGrid() {
        TransformerConfig c = ParameterCountTest.reference("cogvideox-5b");
        // 480×720 px → 60×90 latents → 30×45 tokens: positions 0…29 and 0…44, no interpolation
        LatentGrid grid = LatentGrid.of(c, 13, 60, 90);
        RotaryPositions rope = RotaryPositions.of(c, grid);
        int hd = 64;
        // token (t=0, y=29, x=44): first height pair angle = 29·θ₀ = 29, first width pair angle = 44
        int token = 29 * 45 + 44;
        assertThat(rope.cos()[token * hd + 16]).isCloseTo((float) Math.cos(29), within(1e-6f));
        assertThat(rope.cos()[token * hd + 40]).isCloseTo((float) Math.cos(44), within(1e-6f));
        // and t=12 at its last token
        int last = grid.tokens() - 1;
        assertThat(rope.sin()[last * hd]).isCloseTo((float) Math.sin(12), within(1e-6f));
    }

    @Test
    void cropRegionRoundsHalfToEvenLikePython() {
        // 15×16 tokens into the 30×45 grid: resize to 30×32, left = round(6.5) = 6 in Python, not 7
        assertThat(RotaryPositions.resizeCropRegion(15, 16, 45, 30))
                .isEqualTo(new RotaryPositions.CropRegion(0, 6, 30, 38));
        // square grid: 30×30, left = round(7.5) = 8
        assertThat(RotaryPositions.resizeCropRegion(30, 30, 45, 30))
                .isEqualTo(new RotaryPositions.CropRegion(0, 8, 30, 38));
        // wide grid: limited by width
        assertThat(RotaryPositions.resizeCropRegion(10, 45, 45, 30))
                .isEqualTo(new RotaryPositions.CropRegion(10, 0, 20, 45));
    }

    @Test
    void linspaceMatchesTorchEndpoints() {
        float[] a = RotaryPositions.linspace(8, 38 * 29 / 30.0, 30);
        assertThat(a[0]).isEqualTo(8f);
        assertThat(a[29]).isEqualTo((float) (38 * 29 / 30.0));
        assertThat(RotaryPositions.linspace(3, 99, 1)).containsExactly(3f);
    }

    @Test
    void sinCosTableHasTemporalThenWidthThenHeightParts() {
        TransformerConfig c = ParameterCountTest.reference("cogvideox-2b");
        LatentGrid grid = LatentGrid.of(c, 2, 6, 10); // 2 × 3 × 5 tokens
        float[] table = SinCosPositions.table(c, grid);
        int d = 1920;
        assertThat(table).hasSize(grid.tokens() * d);
        // token (t=1, y=2, x=4)
        int row = (1 * 3 + 2) * 5 + 4;
        int base = row * d;
        // temporal part: 480 dims, sin(t·ω₀) with ω₀ = 1, cos at +240
        assertThat(table[base]).isCloseTo((float) Math.sin(1), within(1e-7f));
        assertThat(table[base + 240]).isCloseTo((float) Math.cos(1), within(1e-7f));
        // width comes first in the spatial half: x / 1.875, then height: y / 1.875
        assertThat(table[base + 480]).isCloseTo((float) Math.sin(4 / 1.875f), within(1e-7f));
        assertThat(table[base + 480 + 720]).isCloseTo((float) Math.sin(2 / 1.875f), within(1e-7f));
        assertThat(table[base + 480 + 360]).isCloseTo((float) Math.cos(4 / 1.875f), within(1e-7f));
        // second frequency of the temporal part: ω₁ = 10000^(−1/240)
        assertThat(table[base + 1]).isCloseTo((float) Math.sin(Math.pow(10000, -1 / 240.0)), within(1e-7f));
    }
}
