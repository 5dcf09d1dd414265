package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Time chunking of the tiny VAE (reference weights): frame counts, streaming, resuming and causality. */
class VaeChunkingTest {
    private static CogVideoXVae vae;

    @BeforeAll
    static void load() {
        vae = CogVideoXVae.load(Golden.path("vae_tiny"), VaeOptions.defaults());
    }

    @AfterAll
    static void close() {
        vae.close();
    }

    static HostTensor gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        HostTensor t = HostTensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }

    static double maxAbsDiff(HostTensor a, HostTensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }

    @Test
    void thirteenLatentFramesDecodeToFortyNineFramesStreamedAsTheReferenceChunks() {
        HostTensor z = gaussian(1, 1, 4, 13, 4, 4);
        HostTensor whole = vae.decode(z);
        assertThat(whole.shape()).containsExactly(1, 3, 49, 32, 32);
        assertThat(whole.allFinite()).isTrue();

        List<HostTensor> streamed = new ArrayList<>();
        vae.decodeStream(z).forEachRemaining(streamed::add);
        assertThat(streamed).extracting(t -> t.dim(2)).containsExactly(9L, 8L, 8L, 8L, 8L, 8L);
        assertThat(VideoTensors.concat(streamed, 2)).isEqualTo(whole);
    }

    @Test
    void resumingChunkByChunkGivesTheWholeDecode() {
        HostTensor z = gaussian(2, 1, 4, 7, 4, 4);
        CarriedFrames carried = new CarriedFrames();
        List<HostTensor> parts = new ArrayList<>();
        for (FrameChunks.Range r : FrameChunks.plan(7, FrameChunks.LATENT_FRAMES)) {
            parts.add(vae.decodeChunk(VideoTensors.slice(z, 2, r.start(), r.end()), carried));
        }
        assertThat(VideoTensors.concat(parts, 2)).isEqualTo(vae.decode(z));
    }

    @Test
    void aOneShotDecodeIsNotTheReference() {
        HostTensor z = gaussian(3, 1, 4, 5, 4, 4);
        HostTensor chunked = vae.decode(z);
        HostTensor oneShot = vae.decodeChunk(z, new CarriedFrames());
        assertThat(oneShot.shape()).isEqualTo(chunked.shape());
        // the first chunk's frames agree up to GroupNorm statistics, which now span all frames
        assertThat(maxAbsDiff(oneShot, chunked)).isGreaterThan(1e-3);
    }

    @Test
    void decodingIsCausal() {
        HostTensor z = gaussian(4, 1, 4, 5, 4, 4);
        HostTensor all = vae.decode(z);
        HostTensor firstChunk = vae.decode(VideoTensors.slice(z, 2, 0, 3));
        assertThat(firstChunk).isEqualTo(VideoTensors.slice(all, 2, 0, 9));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 8", "3, 9", "4, 16", "5, 17", "6, 24"})
    void frameCountsFollowTheChunkRule(int latentFrames, int videoFrames) {
        assertThat(FrameChunks.decodedFrames(latentFrames, 2)).isEqualTo(videoFrames);
        HostTensor out = vae.decode(gaussian(latentFrames, 1, 4, latentFrames, 2, 3));
        assertThat(out.shape()).containsExactly(1, 3, videoFrames, 16, 24);
    }

    @Test
    void chunkPlansPutTheRemainderFirst() {
        assertThat(FrameChunks.plan(13, 2)).extracting(FrameChunks.Range::length).containsExactly(3, 2, 2, 2, 2, 2);
        assertThat(FrameChunks.plan(21, 2)).extracting(FrameChunks.Range::length).hasSize(10).startsWith(3, 2);
        assertThat(FrameChunks.plan(49, 8)).extracting(FrameChunks.Range::length).containsExactly(9, 8, 8, 8, 8, 8);
        assertThat(FrameChunks.plan(5, 8)).containsExactly(new FrameChunks.Range(0, 5));
        assertThatThrownBy(() -> FrameChunks.plan(0, 2)).hasMessageContaining("at least one frame");
    }

    @Test
    void encoderChunksInEightsAndIsCausal() {
        HostTensor video = gaussian(5, 1, 3, 17, 32, 32);
        LatentDistribution all = vae.encode(video);
        assertThat(all.mean().shape()).containsExactly(1, 4, 5, 4, 4);
        LatentDistribution first = vae.encode(VideoTensors.slice(video, 2, 0, 9));
        assertThat(first.mean()).isEqualTo(VideoTensors.slice(all.mean(), 2, 0, 3));
        assertThat(first.logvar()).isEqualTo(VideoTensors.slice(all.logvar(), 2, 0, 3));
    }

    @Test
    void framesThatAreNotMultiplesOfEightEncodeAsTheReference() {
        // each downsampler pads right/bottom by one before a stride-2 3×3 conv: 20 → 10 → 5 → 2, 36 → 18 → 9 → 4
        assertThat(vae.encode(gaussian(10, 1, 3, 1, 20, 36)).mean().shape()).containsExactly(1, 4, 1, 2, 4);
    }

    @Test
    void batchItemsDecodeIndependentlyAndSlicingChangesNothing() {
        HostTensor z = gaussian(6, 2, 4, 3, 4, 4);
        HostTensor batched = vae.decode(z);
        HostTensor second = vae.decode(VideoTensors.slice(z, 0, 1, 2));
        assertThat(maxAbsDiff(VideoTensors.slice(batched, 0, 1, 2), second)).isLessThan(1e-4);
        try (CogVideoXVae sliced = CogVideoXVae.load(Golden.path("vae_tiny"),
                VaeOptions.defaults().withSliceBatch(true))) {
            assertThat(maxAbsDiff(sliced.decode(z), batched)).isLessThan(1e-4);
        }
    }

    @Test
    void aChunkOfAnotherVideoIsRefused() {
        CarriedFrames carried = new CarriedFrames();
        vae.decodeChunk(gaussian(7, 1, 4, 3, 4, 4), carried);
        assertThatThrownBy(() -> vae.decodeChunk(gaussian(8, 1, 4, 2, 4, 6), carried))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not continue");
    }

    @Test
    void badInputsAreRefusedWithTheShape() {
        assertThatThrownBy(() -> vae.decode(gaussian(9, 1, 3, 2, 4, 4)))
                .hasMessageContaining("latents must have 4 channels");
        assertThatThrownBy(() -> vae.decode(gaussian(9, 4, 3, 4, 4)))
                .hasMessageContaining("(B, C, T, H, W)");
    }
}
