package io.cogflow.model.video;

import io.cogflow.model.video.SyntheticVideo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the decoder does with input that is not a whole video; the encoder tests cover what it reads. */
class FfmpegDecoderTest {

    @Test
    void bytesThatAreNoVideoAreRefusedWithFfmpegsReason() {
        byte[] text = "this is not a video".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FfmpegDecoder.probe(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FFmpeg cannot read the bytes as a video file: Invalid data found when processing input");
        assertThatThrownBy(() -> FfmpegDecoder.decodeRgb(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no bytes to decode");
    }

    @Test
    void anMp4CutShortIsRefused() {
        // the muxer writes the index (moov) after the frames, so the first half has none
        byte[] mp4 = VideoEncoders.forFormat(VideoFormat.MP4).encode(SyntheticVideo.frames(5, 32, 32, 1), 8);
        assertThatThrownBy(() -> FfmpegDecoder.decodeRgb(Arrays.copyOf(mp4, mp4.length / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("FFmpeg cannot read");
    }
}
