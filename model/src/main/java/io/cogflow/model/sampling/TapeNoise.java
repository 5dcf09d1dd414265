package io.cogflow.model.sampling;

/**
 * Replays recorded standard-normal draws in order — how the DPM parity tests reproduce the reference's
 * {@code torch.randn} stream without reimplementing PyTorch's generator.
 */
public final class TapeNoise implements NoiseSource {
    private final float[] tape;
    private int position;

    /** The tape is copied, so the caller may reuse its array. */
    public TapeNoise(float[] tape) {
        this.tape = tape.clone();
    }

    /** Draws not yet replayed. */
    public int remaining() {
        return tape.length - position;
    }

    @Override
    public void fill(float[] target) {
        if (target.length > remaining()) {
            // a short tape means the sampler consumed noise differently from the recording: fail, don't pad
            throw new IllegalStateException("noise tape exhausted: " + target.length + " draws requested, "
                    + remaining() + " of " + tape.length + " left");
        }
        System.arraycopy(tape, position, target, 0, target.length);
        position += target.length;
    }
}
