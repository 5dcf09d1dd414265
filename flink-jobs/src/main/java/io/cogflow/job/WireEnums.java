package io.cogflow.job;

import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;
import io.cogflow.schemas.Status;

/**
 * The one place the wire contract's enums meet the Java ones. Each mapping is a switch without a default, so a
 * symbol added on either side fails to compile here instead of failing {@code valueOf(name())} on the first record
 * that carries it; WireEnumsTest pins the round trips.
 */
public final class WireEnums {
    private WireEnums() {
    }

    /** @return null for null: the request left the choice to the model */
    public static SamplerKind sampler(Sampler s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case DDIM -> SamplerKind.DDIM;
            case DPM -> SamplerKind.DPM;
        };
    }

    public static Sampler sampler(SamplerKind s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case DDIM -> Sampler.DDIM;
            case DPM -> Sampler.DPM;
        };
    }

    public static VideoFormat format(OutputFormat f) {
        return switch (f) {
            case MP4 -> VideoFormat.MP4;
            case GIF -> VideoFormat.GIF;
            case PNG_SHEET -> VideoFormat.PNG_SHEET;
        };
    }

    public static OutputFormat format(VideoFormat f) {
        return switch (f) {
            case MP4 -> OutputFormat.MP4;
            case GIF -> OutputFormat.GIF;
            case PNG_SHEET -> OutputFormat.PNG_SHEET;
        };
    }

    public static Status status(ResultStatus s) {
        return switch (s) {
            case SUCCEEDED -> Status.SUCCEEDED;
            case FAILED -> Status.FAILED;
            case REJECTED -> Status.REJECTED;
            case EXPIRED -> Status.EXPIRED;
        };
    }

    public static ResultStatus status(Status s) {
        return switch (s) {
            case SUCCEEDED -> ResultStatus.SUCCEEDED;
            case FAILED -> ResultStatus.FAILED;
            case REJECTED -> ResultStatus.REJECTED;
            case EXPIRED -> ResultStatus.EXPIRED;
        };
    }
}
