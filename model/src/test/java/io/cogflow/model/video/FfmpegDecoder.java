package io.cogflow.model.video;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

/**
 * Reads a video file back with FFmpeg's demuxers and decoders (libavformat, libavcodec, libswscale of the LGPL
 * build the project ships): the check that an encoded file plays. It is an independent judge of
 * {@link FfmpegMp4Encoder}'s files: those are written by libopenh264, and FFmpeg decodes H.264 with its own
 * decoder (the probe names the decoder, so a test can hold it to that). GIF is read by FFmpeg's GIF decoder.
 *
 * <p>The bytes go through a temporary file: the MP4 muxer writes its index after the frames, so the demuxer
 * seeks, and reading from memory would need JavaCPP read and seek callbacks, whose native thunks come from a
 * small fixed pool per callback class. The format is found from the content, never from a file name.
 *
 * <p>Colours: YUV is converted to RGB with libswscale's defaults, as the {@code ffmpeg} program does — BT.601
 * coefficients, limited range unless the pixel format itself is full-range. That is what {@link Yuv420} writes;
 * a file whose stream declares other colours (BT.709, full range) would come back slightly off.
 */
public final class FfmpegDecoder {
    static {
        // the level is process-wide; the same as FfmpegMp4Encoder's, whichever class loads first
        av_log_set_level(AV_LOG_ERROR);
    }

    private FfmpegDecoder() {
    }

    /** Demuxes and decodes every frame of the file's video stream, keeping only what it found. */
    public static VideoProbe probe(byte[] file) {
        return decode(file, false).probe();
    }

    /** Every frame of the file's video stream as RGB, at the size the file holds (an MP4 of odd size: padded). */
    public static VideoFrames decodeRgb(byte[] file) {
        Decoded d = decode(file, true);
        return new VideoFrames(d.probe().frames(), d.probe().height(), d.probe().width(), d.rgb());
    }

    private record Decoded(VideoProbe probe, byte[] rgb) {
    }

    private static Decoded decode(byte[] file, boolean keepRgb) {
        if (file == null || file.length == 0) {
            throw new IllegalArgumentException("no bytes to decode");
        }
        return ScratchFile.use(".bin", tmp -> {
            Files.write(tmp, file);
            return decode(tmp.toString(), keepRgb);
        });
    }

    private static Decoded decode(String path, boolean keepRgb) {
        AVFormatContext fmt = new AVFormatContext(null);
        // on failure avformat_open_input frees the context and leaves the pointer null
        checkInput(avformat_open_input(fmt, path, null, null), "FFmpeg cannot read the bytes as a video file");
        AVCodecContext c = null;
        AVPacket pkt = null;
        AVFrame frame = null;
        DecodedFrames out = null;
        try {
            checkInput(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "reading the stream info");
            String container = fmt.iformat().name().getString(StandardCharsets.UTF_8);
            int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (index < 0) {
                throw new IllegalArgumentException("the " + container + " file has no video stream");
            }
            AVStream st = fmt.streams(index);
            int codecId = st.codecpar().codec_id();
            String codecName = avcodec_get_name(codecId).getString(StandardCharsets.UTF_8);
            AVCodec codec = avcodec_find_decoder(codecId);
            if (codec == null || codec.isNull()) {
                throw new IllegalArgumentException("FFmpeg has no decoder for " + codecName + " in this build");
            }
            c = allocated(avcodec_alloc_context3(codec), "codec context");
            checkInput(avcodec_parameters_to_context(c, st.codecpar()), "reading the " + codecName + " parameters");
            checkInput(avcodec_open2(c, codec, (AVDictionary) null), "opening the " + codecName + " decoder");
            pkt = allocated(av_packet_alloc(), "packet");
            frame = allocated(av_frame_alloc(), "frame");
            out = new DecodedFrames(keepRgb);

            int ret;
            while ((ret = av_read_frame(fmt, pkt)) >= 0) {
                try {
                    if (pkt.stream_index() == index) {
                        checkInput(avcodec_send_packet(c, pkt), "decoding " + codecName);
                        receive(c, frame, out, codecName);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            if (ret != AVERROR_EOF) {
                checkInput(ret, "reading packets");
            }
            checkInput(avcodec_send_packet(c, null), "flushing the " + codecName + " decoder");
            receive(c, frame, out, codecName);
            if (out.count == 0) {
                throw new IllegalArgumentException("the " + codecName + " stream decoded to no frames");
            }
            // r_frame_rate is FFmpeg's guess from timestamps, and guesses 277/12 for a GIF of 13 cs delays
            AVRational rate = st.avg_frame_rate();
            VideoProbe probe = new VideoProbe(container, codecName, codec.name().getString(StandardCharsets.UTF_8),
                    out.width, out.height, rate.num(), rate.den(), out.count);
            return new Decoded(probe, keepRgb ? out.rgb.toByteArray() : null);
        } finally {
            if (out != null) {
                out.free();
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            if (pkt != null) {
                av_packet_free(pkt);
            }
            if (c != null) {
                avcodec_free_context(c);
            }
            avformat_close_input(fmt);
        }
    }

    private static void receive(AVCodecContext c, AVFrame frame, DecodedFrames out, String codecName) {
        while (true) {
            int ret = avcodec_receive_frame(c, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
                return;
            }
            checkInput(ret, "decoding " + codecName);
            try {
                out.add(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /**
     * Counts decoded frames and, when asked, converts each to packed RGB. Every frame must have the first one's
     * size: {@link VideoFrames} has one size, and a stream that changes it mid-way is not one cogflow writes.
     */
    private static final class DecodedFrames {
        final boolean keep;
        final ByteArrayOutputStream rgb = new ByteArrayOutputStream();
        int count;
        int width;
        int height;
        int format = AV_PIX_FMT_NONE;
        SwsContext sws;
        AVFrame packed;
        byte[] row;

        DecodedFrames(boolean keep) {
            this.keep = keep;
        }

        void add(AVFrame f) {
            if (count == 0) {
                width = f.width();
                height = f.height();
                format = f.format();
            } else if (f.width() != width || f.height() != height || f.format() != format) {
                throw new IllegalArgumentException("frame " + count + " is " + f.height() + "×" + f.width()
                        + " (height×width) " + pixelFormat(f.format()) + "; the first was " + height + "×" + width
                        + " " + pixelFormat(format));
            }
            count++;
            if (keep) {
                convert(f);
            }
        }

        private void convert(AVFrame f) {
            if (sws == null) {
                // same size, so bicubic only matters for chroma upsampling: the ffmpeg program's default
                sws = sws_getContext(width, height, format, width, height, AV_PIX_FMT_RGB24, SWS_BICUBIC, null, null,
                        (DoublePointer) null);
                if (sws == null || sws.isNull()) {
                    sws = null;
                    throw new IllegalArgumentException("libswscale cannot convert " + pixelFormat(format)
                            + " frames to RGB");
                }
                packed = allocated(av_frame_alloc(), "RGB frame");
                packed.format(AV_PIX_FMT_RGB24);
                packed.width(width);
                packed.height(height);
                if (av_frame_get_buffer(packed, 0) < 0) {
                    throw new IllegalStateException("FFmpeg could not allocate a " + height + "×" + width
                            + " RGB frame");
                }
                row = new byte[width * 3];
            }
            int rows = sws_scale(sws, f.data(), f.linesize(), 0, height, packed.data(), packed.linesize());
            if (rows != height) {
                throw new IllegalStateException("libswscale converted " + rows + " of " + height + " rows");
            }
            BytePointer data = packed.data(0);
            long stride = packed.linesize(0);
            for (int y = 0; y < height; y++) {
                data.position(y * stride).get(row);
                rgb.write(row, 0, row.length);
            }
            data.position(0);
        }

        void free() {
            if (packed != null) {
                av_frame_free(packed);
            }
            if (sws != null) {
                sws_freeContext(sws);
            }
        }
    }

    private static String pixelFormat(int format) {
        BytePointer name = av_get_pix_fmt_name(format);
        return name == null || name.isNull() ? "pixel format " + format : name.getString(StandardCharsets.UTF_8);
    }

    private static <T extends org.bytedeco.javacpp.Pointer> T allocated(T p, String what) {
        if (p == null || p.isNull()) {
            throw new IllegalStateException("FFmpeg could not allocate a " + what);
        }
        return p;
    }

    /** A failure of FFmpeg on the input: the bytes are not a video it can read. */
    private static void checkInput(int ret, String what) {
        if (ret < 0) {
            byte[] msg = new byte[256];
            av_strerror(ret, msg, msg.length);
            int n = 0;
            while (n < msg.length && msg[n] != 0) {
                n++;
            }
            throw new IllegalArgumentException(what + ": " + new String(msg, 0, n, StandardCharsets.UTF_8));
        }
    }
}
