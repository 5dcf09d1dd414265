package io.cogflow.model.video;

/** Turns decoded frames into the bytes of one file. Implementations are stateless and thread-safe. */
public interface VideoEncoder {

    VideoFormat format();

    /**
     * @param fps frames per second of playback (a positive integer; CogVideoX generates 8 fps, 1.5 16 fps)
     */
    byte[] encode(VideoFrames video, int fps);
}
