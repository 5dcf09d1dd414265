package io.cogflow.model.sampling;

import io.cogflow.model.config.ConfigJson;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CogVideoX {@code scheduler/scheduler_config.json} as a record. Missing keys take the diffusers constructor
 * defaults; a value of the wrong type is an error naming the key (see {@link ConfigJson}).
 *
 * <p>The constructor refuses settings the samplers here do not implement, naming the JSON key, so that an
 * unusual checkpoint fails loudly at load time instead of sampling with a silently different schedule. Note
 * that diffusers' defaults ({@code prediction_type "epsilon"}, {@code timestep_spacing "leading"}) are among
 * them: every released CogVideoX config sets both keys explicitly. Keys diffusers accepts but the CogVideoX
 * schedulers never read in {@code step} ({@code clip_sample}, {@code thresholding}, ...) are ignored, as there.
 *
 * @param stepsOffset only used by "leading" spacing in the reference, so accepted and ignored here
 */
public record SchedulerConfig(String className, int numTrainTimesteps, double betaStart, double betaEnd,
        String betaSchedule, double snrShiftScale, boolean rescaleBetasZeroSnr, String timestepSpacing,
        String predictionType, boolean setAlphaToOne, int stepsOffset) {

    public static final String DDIM_CLASS = "CogVideoXDDIMScheduler";
    public static final String DPM_CLASS = "CogVideoXDPMScheduler";

    public SchedulerConfig {
        if (!DDIM_CLASS.equals(className) && !DPM_CLASS.equals(className)) {
            // other diffusers schedulers share key names but not the SNR shift, so their schedule would differ
            throw unsupported("_class_name", className, DDIM_CLASS + " or " + DPM_CLASS);
        }
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("scheduler config: 'num_train_timesteps' must be at least 2, got "
                    + numTrainTimesteps);
        }
        if (!(betaStart > 0 && betaEnd > 0 && betaStart <= betaEnd && betaEnd < 1)) {
            throw new IllegalArgumentException("scheduler config: 'beta_start' and 'beta_end' must satisfy "
                    + "0 < beta_start <= beta_end < 1, got " + betaStart + " and " + betaEnd);
        }
        if (!"scaled_linear".equals(betaSchedule)) {
            throw unsupported("beta_schedule", betaSchedule, "scaled_linear");
        }
        if (!(snrShiftScale > 0) || Double.isInfinite(snrShiftScale)) {
            throw new IllegalArgumentException("scheduler config: 'snr_shift_scale' must be a positive number, got "
                    + snrShiftScale);
        }
        if (!"trailing".equals(timestepSpacing)) {
            throw unsupported("timestep_spacing", timestepSpacing, "trailing");
        }
        if (!"v_prediction".equals(predictionType)) {
            throw unsupported("prediction_type", predictionType, "v_prediction");
        }
    }

    private static IllegalArgumentException unsupported(String key, String value, String supported) {
        return new IllegalArgumentException("scheduler config: '" + key + "' = "
                + (value == null ? "null" : "'" + value + "'") + " is not supported (supported: " + supported + ")");
    }

    /**
     * The settings of the released CogVideoX schedulers (HF {@code THUDM/CogVideoX-2b} / {@code -5b}): snr shift
     * 3.0 for 2B, 1.0 for 5B and 1.5.
     */
    public static SchedulerConfig cogVideoX(SamplerKind kind, double snrShiftScale) {
        return new SchedulerConfig(kind == SamplerKind.DPM ? DPM_CLASS : DDIM_CLASS, 1000, 0.00085, 0.012,
                "scaled_linear", snrShiftScale, true, "trailing", "v_prediction", true, 0);
    }

    /**
     * Reads a {@code scheduler_config.json} file, or the one in a folder: {@code scheduler/scheduler_config.json}
     * (a model root) before {@code scheduler_config.json} (the scheduler folder itself).
     */
    public static SchedulerConfig load(Path fileOrFolder) {
        Path file = fileOrFolder;
        if (Files.isDirectory(fileOrFolder)) {
            Path nested = fileOrFolder.resolve("scheduler").resolve("scheduler_config.json");
            Path direct = fileOrFolder.resolve("scheduler_config.json");
            if (Files.isRegularFile(nested)) {
                file = nested;
            } else if (Files.isRegularFile(direct)) {
                file = direct;
            } else {
                throw new IllegalArgumentException(fileOrFolder
                        + ": no scheduler/scheduler_config.json and no scheduler_config.json");
            }
        }
        return from(ConfigJson.read(file));
    }

    public static SchedulerConfig from(ConfigJson c) {
        if (c.has("trained_betas")) {
            throw new IllegalArgumentException(c.source() + ": 'trained_betas' is not supported "
                    + "(CogVideoX uses the scaled_linear schedule)");
        }
        try {
            return new SchedulerConfig(
                    // both HF CogVideoX releases ship the DDIM class; a bare scheduler config rarely omits it
                    c.string("_class_name", DDIM_CLASS),
                    c.integer("num_train_timesteps", 1000),
                    c.number("beta_start", 0.00085),
                    c.number("beta_end", 0.012),
                    c.string("beta_schedule", "scaled_linear"),
                    c.number("snr_shift_scale", 3.0),
                    c.bool("rescale_betas_zero_snr", false),
                    c.string("timestep_spacing", "leading"),
                    c.string("prediction_type", "epsilon"),
                    c.bool("set_alpha_to_one", true),
                    c.integer("steps_offset", 0));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("scheduler config:")) {
                throw new IllegalArgumentException(c.source() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The sampler the checkpoint's scheduler class stands for. */
    public SamplerKind defaultSampler() {
        return DPM_CLASS.equals(className) ? SamplerKind.DPM : SamplerKind.DDIM;
    }
}
