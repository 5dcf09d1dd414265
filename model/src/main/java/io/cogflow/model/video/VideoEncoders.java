package io.cogflow.model.video;

/** The encoder for each {@link VideoFormat}. */
public final class VideoEncoders {
    private VideoEncoders() {
    }

    public static VideoEncoder forFormat(VideoFormat f) {
        return switch (f) {
            case MP4 -> new FfmpegMp4Encoder();
            case GIF -> new GifEncoder();
            case PNG_SHEET -> new ContactSheetEncoder(ContactSheetEncoder.Layout.DEFAULT);
        };
    }

    /** What produces each format, for benchmark output and logs. */
    public static String describe(VideoFormat f) {
        return switch (f) {
            case MP4 -> "FFmpeg " + FfmpegMp4Encoder.codecName() + " (H.264, MP4)";
            case GIF -> "javax.imageio GIF, median-cut palette, Floyd–Steinberg";
            case PNG_SHEET -> "javax.imageio PNG contact sheet";
        };
    }
}
