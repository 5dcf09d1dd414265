package io.cogflow.model.sampling;

import java.util.Locale;

/** The two CogVideoX samplers: diffusers' {@code CogVideoXDDIMScheduler} and {@code CogVideoXDPMScheduler}. */
public enum SamplerKind {
    /** Deterministic DDIM (eta = 0). */
    DDIM,
    /** SDE-DPM-Solver++(2M), SAT's {@code VPSDEDPMPP2MSampler}; stochastic. */
    DPM;

    /** Case-insensitive "ddim" or "dpm". */
    public static SamplerKind parse(String s) {
        if (s != null) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "ddim":
                    return DDIM;
                case "dpm":
                    return DPM;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + s + "': expected 'ddim' or 'dpm'");
    }
}
