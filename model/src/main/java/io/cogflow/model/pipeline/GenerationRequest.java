package io.cogflow.model.pipeline;

import io.cogflow.model.sampling.SamplerKind;

/**
 * One text-to-video request as the generator takes it. Requests of one video size can share a batch whatever
 * their prompts, seeds, step counts, guidance or samplers.
 *
 * @param negativePrompt the unconditional prompt for guidance ("" as diffusers' default)
 * @param guidance       classifier-free guidance scale; at most 1 skips the unconditional pass
 * @param dynamicCfg     diffusers' dynamic guidance (scale varies with the timestep)
 * @param sampler        DDIM or DPM; {@code null} takes the model's scheduler
 */
public record GenerationRequest(String id, String prompt, String negativePrompt, VideoSize size, int steps,
                                double guidance, boolean dynamicCfg, long seed, SamplerKind sampler) {

    public static final int MAX_STEPS = 1000;

    /** Checks everything that does not depend on the model; the model checks the size. */
    public GenerationRequest {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (size == null) {
            throw new IllegalArgumentException("no video size");
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be between 1 and " + MAX_STEPS + ", got " + steps);
        }
        if (!Double.isFinite(guidance) || guidance < 0) {
            throw new IllegalArgumentException("guidance must be a finite number ≥ 0, got " + guidance);
        }
        id = id == null ? "" : id;
    }

    public boolean usesGuidance() {
        return guidance > 1;
    }
}
