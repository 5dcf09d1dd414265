package io.cogflow.model.video;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoFramesTest {

    @Test
    void floatsAreClampedAndRounded() {
        VideoFrames v = VideoFrames.fromFloats(1, 1, 2, new float[]{-0.5f, 0f, 0.5f, 1f, 1.5f, Float.NaN});
        assertThat(v.rgb()).containsExactly(0, 0, (byte) 128, (byte) 255, (byte) 255, 0);
    }

    @Test
    void refusesEmptyVideos() {
        assertThatThrownBy(() -> new VideoFrames(0, 480, 720, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one frame");
        assertThatThrownBy(() -> VideoFrames.fromFloats(1, 0, 4, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one frame");
    }

    @Test
    void refusesWrongByteLength() {
        assertThatThrownBy(() -> new VideoFrames(2, 2, 2, new byte[23]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("23 bytes").hasMessageContaining("need 24");
        assertThatThrownBy(() -> VideoFrames.fromFloats(1, 2, 2, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 12");
    }

    @Test
    void formatsParseTheirNamesAndKnowTheirTypes() {
        assertThat(VideoFormat.parse("mp4")).isEqualTo(VideoFormat.MP4);
        assertThat(VideoFormat.parse(" GIF ")).isEqualTo(VideoFormat.GIF);
        assertThat(VideoFormat.parse("png-sheet")).isEqualTo(VideoFormat.PNG_SHEET);
        assertThat(VideoFormat.parse("PNG_SHEET")).isEqualTo(VideoFormat.PNG_SHEET);
        assertThat(VideoFormat.MP4.mimeType()).isEqualTo("video/mp4");
        assertThat(VideoFormat.GIF.extension()).isEqualTo("gif");
        assertThat(VideoFormat.PNG_SHEET.mimeType()).isEqualTo("image/png");
        assertThatThrownBy(() -> VideoFormat.parse("webm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webm").hasMessageContaining("png-sheet");
    }

    @Test
    void everyFormatHasAnEncoder() {
        for (VideoFormat f : VideoFormat.values()) {
            assertThat(VideoEncoders.forFormat(f).format()).isEqualTo(f);
        }
    }
}
