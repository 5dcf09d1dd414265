package io.cogflow.model.video;

import io.cogflow.model.video.SyntheticVideo;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class ContactSheetEncoderTest {
    private static final VideoEncoder SHEET = VideoEncoders.forFormat(VideoFormat.PNG_SHEET);

    @Test
    void fourColumnsOfSampledFramesWithSeparators() throws IOException {
        // 49 frames → 16 tiles, 4×4; 720 px wide → halved to 360×240
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(SHEET.encode(SyntheticVideo.frames(49, 480,
                720, 1), 8)));
        assertThat(png.getWidth()).isEqualTo(4 * 360 + 5 * 2);
        assertThat(png.getHeight()).isEqualTo(4 * 240 + 5 * 2);
        assertThat(png.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x202020);
    }

    @Test
    void fewFramesGiveOneRow() throws IOException {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(SHEET.encode(SyntheticVideo.frames(3, 20, 30, 2),
                8)));
        assertThat(png.getWidth()).isEqualTo(3 * 30 + 4 * 2);
        assertThat(png.getHeight()).isEqualTo(20 + 2 * 2);
    }

    @Test
    void tilesShowTheFramesThemselves() throws IOException {
        byte[] rgb = {(byte) 255, 0, 0, 0, 0, (byte) 255};
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(SHEET.encode(new VideoFrames(2, 1, 1, rgb), 8)));
        assertThat(png.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(png.getRGB(5, 2) & 0xFFFFFF).isEqualTo(0x0000FF);
    }

    @Test
    void sameFramesSameBytes() {
        VideoFrames v = SyntheticVideo.frames(10, 32, 48, 3);
        assertThat(SHEET.encode(v, 8)).isEqualTo(SHEET.encode(v, 8));
    }

    @Test
    void sampledFramesIncludeFirstAndLast() {
        assertThat(ContactSheetEncoder.sampledFrames(49, 16)).startsWith(0).endsWith(48).hasSize(16);
        assertThat(ContactSheetEncoder.sampledFrames(3, 16)).containsExactly(0, 1, 2);
        assertThat(ContactSheetEncoder.sampledFrames(1, 16)).containsExactly(0);
    }
}
