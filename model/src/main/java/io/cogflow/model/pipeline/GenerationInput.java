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
public record GenerationInput(String id, String prompt, String negativePrompt, VideoSize size, int steps,
                              double guidance, boolean dynamicCfg, long seed, SamplerKind sampler) {

    public static final int MAX_STEPS = 1000;

    /** Checks everything that does not depend on the model; the model checks the size. */
    public GenerationInput {
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

    /** An input built by name, for callers that map from another record (nine positional fields are easy to swap). */
    public static Builder builder() {
        return new Builder();
    }

    /** Unset fields are the record's own defaults: empty id and negative prompt, zero seed, the model's sampler. */
    public static final class Builder {
        private String id;
        private String prompt;
        private String negativePrompt;
        private VideoSize size;
        private int steps;
        private double guidance;
        private boolean dynamicCfg;
        private long seed;
        private SamplerKind sampler;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder negativePrompt(String negativePrompt) {
            this.negativePrompt = negativePrompt;
            return this;
        }

        public Builder size(VideoSize size) {
            this.size = size;
            return this;
        }

        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder guidance(double guidance) {
            this.guidance = guidance;
            return this;
        }

        public Builder dynamicCfg(boolean dynamicCfg) {
            this.dynamicCfg = dynamicCfg;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param sampler {@code null}: the model's scheduler */
        public Builder sampler(SamplerKind sampler) {
            this.sampler = sampler;
            return this;
        }

        /** The request, checked as the constructor checks it. */
        public GenerationInput build() {
            return new GenerationInput(id, prompt, negativePrompt, size, steps, guidance, dynamicCfg, seed, sampler);
        }
    }
}
