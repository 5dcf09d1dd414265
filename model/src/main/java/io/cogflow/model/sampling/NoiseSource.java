package io.cogflow.model.sampling;

/** Standard-normal draws, in order: consecutive fills continue one stream. */
public interface NoiseSource {
    /** Overwrites every element of target with the next target.length draws. */
    void fill(float[] target);
}
