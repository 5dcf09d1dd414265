package io.cogflow.model.video;

import io.cogflow.model.bench.FfmpegCli;
import io.cogflow.model.bench.Psnr;
import io.cogflow.model.bench.SyntheticVideo;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void ffprobeReadsCodecSizeFramesAndRate() {
        Optional<String> probe = FfmpegCli.probe(MP4.encode(SyntheticVideo.frames(13, 48, 80, 2), 16), "mp4");
        assumeTrue(probe.isPresent(), "ffprobe is not on PATH");
        assertThat(probe.get()).contains("codec_name=h264", "width=80", "height=48", "r_frame_rate=16/1",
                "nb_read_frames=13");
    }

    @Test
    void decodedFramesAreCloseToTheInput() {
        VideoFrames v = SyntheticVideo.frames(9, 96, 128, 3);
        Optional<VideoFrames> decoded = FfmpegCli.decodeRgb(MP4.encode(v, 8), "mp4", 96, 128);
        assumeTrue(decoded.isPresent(), "ffmpeg is not on PATH");
        assertThat(decoded.get().frames()).isEqualTo(9);
        assertThat(Psnr.db(v, decoded.get())).isGreaterThan(30);
    }

    @Test
    void oddSizesArePaddedToEven() {
        Mp4Boxes boxes = Mp4Boxes.parse(MP4.encode(SyntheticVideo.frames(3, 33, 47, 4), 8));
        assertThat(boxes.width()).isEqualTo(48);
        assertThat(boxes.height()).isEqualTo(34);
        assertThat(boxes.samples()).isEqualTo(3);
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
}
