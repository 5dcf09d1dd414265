package io.cogflow.model.vae;

import java.util.ArrayList;
import java.util.List;

/**
 * How the reference splits a video in time for the VAE: chunks of a fixed size with the remainder in the first
 * chunk (13 latent frames → 3, 2, 2, 2, 2, 2; 49 video frames → 9, 8, 8, 8, 8, 8). Outputs depend on this split
 * (GroupNorm statistics are per chunk), so it is part of the model, not a tuning knob.
 */
public final class FrameChunks {
    /** Latent frames per decoder chunk. */
    public static final int LATENT_FRAMES = 2;
    /** Video frames per encoder chunk. */
    public static final int VIDEO_FRAMES = 8;

    private FrameChunks() {
    }

    /** A chunk of frames [start, end). */
    public record Range(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    public static List<Range> plan(int frames, int perChunk) {
        if (frames <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + frames);
        }
        int chunks = Math.max(frames / perChunk, 1);
        int remainder = frames % perChunk;
        List<Range> out = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            int start = perChunk * i + (i == 0 ? 0 : remainder);
            int end = Math.min(perChunk * (i + 1) + remainder, frames);
            out.add(new Range(start, end));
        }
        return out;
    }

    /**
     * Video frames the decoder makes from {@code latentFrames}: per chunk, each time-compressing upsampler maps
     * T → 1 + 2(T − 1) for odd T > 1 and T → 2T for even T.
     */
    public static int decodedFrames(int latentFrames, int temporalCompressLevel) {
        int total = 0;
        for (Range r : plan(latentFrames, LATENT_FRAMES)) {
            int t = r.length();
            for (int level = 0; level < temporalCompressLevel; level++) {
                t = t > 1 && t % 2 == 1 ? 1 + 2 * (t - 1) : t > 1 ? 2 * t : t;
            }
            total += t;
        }
        return total;
    }
}
