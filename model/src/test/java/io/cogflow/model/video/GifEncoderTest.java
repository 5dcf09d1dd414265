package io.cogflow.model.video;

import io.cogflow.model.video.GifFrames;
import io.cogflow.model.video.Psnr;
import io.cogflow.model.video.SyntheticVideo;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GifEncoderTest {
    private static final VideoEncoder GIF = VideoEncoders.forFormat(VideoFormat.GIF);

    @Test
    void everyFrameAtFullSizeWithTheDelayFromFps() throws IOException {
        byte[] gif = GIF.encode(SyntheticVideo.frames(7, 40, 56, 1), 8);

        assertThat(new String(gif, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in, false);
            assertThat(reader.getNumImages(true)).isEqualTo(7);
            assertThat(reader.getWidth(0)).isEqualTo(56);
            assertThat(reader.getHeight(0)).isEqualTo(40);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(3).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertThat(gce.getAttribute("delayTime")).isEqualTo("13");
        } finally {
            reader.dispose();
        }
    }

    @Test
    void loopsForever() throws IOException {
        byte[] gif = GIF.encode(SyntheticVideo.frames(2, 8, 8, 2), 8);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in, false);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            Node app = root.getElementsByTagName("ApplicationExtension").item(0);
            assertThat(((IIOMetadataNode) app).getAttribute("applicationID")).isEqualTo("NETSCAPE");
            assertThat((byte[]) ((IIOMetadataNode) app).getUserObject()).containsExactly(1, 0, 0);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void palettedFramesStayCloseToTheInput() {
        VideoFrames v = SyntheticVideo.frames(5, 64, 96, 3);
        VideoFrames decoded = GifFrames.read(GIF.encode(v, 8));
        assertThat(decoded.frames()).isEqualTo(5);
        assertThat(Psnr.db(v, decoded)).isGreaterThan(28);
    }

    @Test
    void ffmpegsGifDecoderReadsWhatJavaxImageioReads() {
        // two independent readers of the file agree to the byte, at the delay the fps asked for
        VideoFrames v = SyntheticVideo.frames(7, 40, 56, 1);
        byte[] gif = GIF.encode(v, 8);
        VideoProbe probe = FfmpegDecoder.probe(gif);
        assertThat(probe.codec()).isEqualTo("gif");
        assertThat(probe.width()).isEqualTo(56);
        assertThat(probe.height()).isEqualTo(40);
        assertThat(probe.frames()).isEqualTo(7);
        assertThat(probe.rate()).isEqualTo("100/13");
        assertThat(FfmpegDecoder.decodeRgb(gif).rgb()).isEqualTo(GifFrames.read(gif).rgb());
    }

    @Test
    void fewColoursAreReproducedExactly() {
        byte[] rgb = new byte[2 * 4 * 4 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) (i % 2 == 0 ? 200 : 10);
            rgb[i + 2] = (byte) 77;
        }
        VideoFrames v = new VideoFrames(2, 4, 4, rgb);
        assertThat(GifFrames.read(GIF.encode(v, 8)).rgb()).isEqualTo(rgb);
    }

    @Test
    void delayIsRoundedToCentisecondsAndNeverBelowTwo() {
        assertThat(GifEncoder.delayCentiseconds(8)).isEqualTo(13);
        assertThat(GifEncoder.delayCentiseconds(16)).isEqualTo(6);
        assertThat(GifEncoder.delayCentiseconds(10)).isEqualTo(10);
        assertThat(GifEncoder.delayCentiseconds(60)).isEqualTo(2);
        assertThat(GifEncoder.delayCentiseconds(120)).isEqualTo(2);
    }
}
