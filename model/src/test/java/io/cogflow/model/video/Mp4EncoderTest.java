package io.cogflow.model.video;

import io.cogflow.model.video.Psnr;
import io.cogflow.model.video.SyntheticVideo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Mp4EncoderTest {
    private static final VideoEncoder MP4 = VideoEncoders.forFormat(VideoFormat.MP4);

    @Test
    void writesH264InAnMp4ContainerWithEveryFrame() {
        byte[] mp4 = MP4.encode(SyntheticVideo.frames(9, 64, 96, 1), 8);

        Mp4Boxes boxes = Mp4Boxes.parse(mp4);
        assertThat(boxes.majorBrand()).isEqualTo("isom"); // MP4, not QuickTime's 'qt  '
        assertThat(boxes.codec()).isEqualTo("avc1");
        assertThat(boxes.width()).isEqualTo(96);
        assertThat(boxes.height()).isEqualTo(64);
        assertThat(boxes.samples()).isEqualTo(9);
        assertThat(boxes.fps()).isEqualTo(8.0);
    }

    @Test
    void ffmpegsOwnH264DecoderReadsCodecSizeRateAndEveryFrame() {
        VideoProbe probe = FfmpegDecoder.probe(MP4.encode(SyntheticVideo.frames(13, 48, 80, 2), 16));
        assertThat(probe.container()).contains("mp4");
        assertThat(probe.codec()).isEqualTo("h264");
        // FFmpeg's native decoder, not the libopenh264 that wrote the file: an independent reading
        assertThat(probe.decoder()).isEqualTo("h264");
        assertThat(probe.width()).isEqualTo(80);
        assertThat(probe.height()).isEqualTo(48);
        assertThat(probe.rate()).isEqualTo("16/1");
        assertThat(probe.frames()).isEqualTo(13);
    }

    @Test
    void decodedFramesAreCloseToTheInput() {
        // a larger frame than the probe's: 48×80 is mostly disc edges and measures 29.8 dB
        VideoFrames v = SyntheticVideo.frames(9, 96, 128, 3);
        VideoFrames decoded = FfmpegDecoder.decodeRgb(MP4.encode(v, 8));
        assertThat(decoded.frames()).isEqualTo(9);
        assertThat(decoded.height()).isEqualTo(96);
        assertThat(decoded.width()).isEqualTo(128);
        assertThat(Psnr.db(v, decoded)).isGreaterThan(30);
    }

    @Test
    void decodedFramesFollowTheInputFrameByFrame() {
        // a PSNR over the whole video would forgive frames out of order or one shown twice in place of its
        // neighbour; each decoded frame must be nearer its own input frame than any other
        VideoFrames v = SyntheticVideo.frames(9, 96, 128, 3);
        VideoFrames decoded = FfmpegDecoder.decodeRgb(MP4.encode(v, 8));
        assertThat(decoded.frames()).isEqualTo(9);
        for (int f = 0; f < v.frames(); f++) {
            double own = Psnr.db(frame(v, f), frame(decoded, f));
            assertThat(own).as("frame %d", f).isGreaterThan(30);
            for (int g = 0; g < v.frames(); g++) {
                if (g != f) {
                    assertThat(Psnr.db(frame(v, g), frame(decoded, f))).as("frame %d against input %d", f, g)
                            .isLessThan(own);
                }
            }
        }
    }

    @Test
    void oddSizesArePaddedToEven() {
        VideoFrames v = SyntheticVideo.frames(3, 33, 47, 4);
        byte[] mp4 = MP4.encode(v, 8);
        Mp4Boxes boxes = Mp4Boxes.parse(mp4);
        assertThat(boxes.width()).isEqualTo(48);
        assertThat(boxes.height()).isEqualTo(34);
        assertThat(boxes.samples()).isEqualTo(3);
        VideoFrames decoded = FfmpegDecoder.decodeRgb(mp4);
        assertThat(decoded.width()).isEqualTo(48);
        assertThat(decoded.height()).isEqualTo(34);
        // the added row repeats the last one, so it decodes close to it (no black line)
        assertThat(Psnr.db(row(decoded, 32), row(decoded, 33))).isGreaterThan(30);
    }

    @Test
    void singleFrameEncodesAndTinyFramesAreRefusedClearly() {
        assertThat(Mp4Boxes.parse(MP4.encode(SyntheticVideo.frames(1, 16, 16, 5), 8)).samples()).isEqualTo(1);
        assertThatThrownBy(() -> MP4.encode(SyntheticVideo.frames(2, 8, 30, 5), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16×16");
    }

    @Test
    void padRepeatsTheLastRowAndColumn() {
        VideoFrames v = new VideoFrames(1, 1, 1, new byte[]{10, 20, 30});
        VideoFrames p = EvenSize.pad(v);
        assertThat(p.height()).isEqualTo(2);
        assertThat(p.width()).isEqualTo(2);
        assertThat(p.rgb()).containsExactly(10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30);
    }

    @Test
    void rejectsBadFps() {
        assertThatThrownBy(() -> MP4.encode(SyntheticVideo.frames(1, 8, 8, 6), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fps");
    }

    /** Row y of the first frame, as a 1×width video. */
    private static VideoFrames row(VideoFrames v, int y) {
        int rowBytes = v.width() * 3;
        return new VideoFrames(1, 1, v.width(), Arrays.copyOfRange(v.rgb(), y * rowBytes, (y + 1) * rowBytes));
    }

    private static VideoFrames frame(VideoFrames v, int f) {
        return new VideoFrames(1, v.height(), v.width(),
                Arrays.copyOfRange(v.rgb(), v.frameOffset(f), v.frameOffset(f + 1)));
    }
}
