package io.cogflow.model.video;

/**
 * What {@link FfmpegDecoder} found in a video file, in ffprobe's terms.
 *
 * @param container    the demuxer that read the file ({@code mov,mp4,m4a,3gp,3g2,mj2} for MP4, {@code gif})
 * @param codec        the codec of the video stream (the one FFmpeg ranks best; cogflow writes one) ({@code h264}, {@code gif})
 * @param decoder      the FFmpeg decoder that decoded it ({@code h264} is FFmpeg's own, not libopenh264)
 * @param width        frame width in pixels, as decoded
 * @param height       frame height in pixels, as decoded
 * @param rateNum      numerator of the stream's average frame rate (ffprobe's {@code avg_frame_rate}): 16/1 for
 *                     an MP4 at 16 fps, 100/13 for a GIF of 13-centisecond delays
 * @param rateDen      its denominator; 0 (0/0) when the file gives no duration
 * @param frames       frames actually decoded (ffprobe's {@code nb_read_frames}), not the count a header claims
 */
public record VideoProbe(String container, String codec, String decoder, int width, int height, int rateNum,
                         int rateDen, int frames) {

    /** Frames per second; NaN when the file gives no rate. */
    public double fps() {
        return rateDen == 0 ? Double.NaN : (double) rateNum / rateDen;
    }

    /** The rate as ffprobe prints it, {@code 16/1}. */
    public String rate() {
        return rateNum + "/" + rateDen;
    }
}
