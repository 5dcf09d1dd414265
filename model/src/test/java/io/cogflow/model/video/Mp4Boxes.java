package io.cogflow.model.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Just enough ISO-BMFF parsing to check an MP4 without a decoder: the major brand and, for the first video track,
 * the sample entry's codec and size, the sample count (stsz) and the frame rate (mdhd timescale / stts delta).
 */
public record Mp4Boxes(String majorBrand, String codec, int width, int height, int samples, double fps) {

    public static Mp4Boxes parse(byte[] mp4) {
        ByteBuffer b = ByteBuffer.wrap(mp4);
        Builder out = new Builder();
        walk(b, 0, mp4.length, out);
        return new Mp4Boxes(out.brand, out.codec, out.width, out.height, out.samples,
                out.delta == 0 ? Double.NaN : (double) out.timescale / out.delta);
    }

    private static final class Builder {
        String brand;
        String codec;
        int width;
        int height;
        int samples = -1;
        long timescale;
        long delta;
        boolean inVideoTrack;
    }

    private static void walk(ByteBuffer b, int from, int to, Builder out) {
        int p = from;
        while (p + 8 <= to) {
            long size = Integer.toUnsignedLong(b.getInt(p));
            String type = new String(new byte[]{b.get(p + 4), b.get(p + 5), b.get(p + 6), b.get(p + 7)},
                    StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = b.getLong(p + 8);
                header = 16;
            } else if (size == 0) {
                size = to - p;
            }
            int body = p + header;
            int end = (int) Math.min(to, p + size);
            switch (type) {
                case "ftyp" -> out.brand = fourcc(b, body);
                case "moov", "trak", "mdia", "minf", "stbl" -> {
                    if (type.equals("trak") && out.samples >= 0) {
                        return; // first video track already read
                    }
                    walk(b, body, end, out);
                }
                case "hdlr" -> out.inVideoTrack = fourcc(b, body + 8).equals("vide");
                case "mdhd" -> out.timescale = Integer.toUnsignedLong(b.getInt(body + (b.get(body) == 1 ? 20 : 12)));
                case "stsd" -> {
                    // after version/flags and entry count: the first sample entry box
                    int e = body + 8;
                    out.codec = fourcc(b, e + 4);
                    out.width = b.getShort(e + 8 + 24) & 0xFFFF;
                    out.height = b.getShort(e + 8 + 26) & 0xFFFF;
                }
                case "stts" -> {
                    if (b.getInt(body + 4) > 0) {
                        out.delta = Integer.toUnsignedLong(b.getInt(body + 12));
                    }
                }
                case "stsz" -> {
                    if (out.inVideoTrack) {
                        out.samples = b.getInt(body + 8);
                    }
                }
                default -> {
                }
            }
            p = (int) (p + size);
        }
    }

    private static String fourcc(ByteBuffer b, int at) {
        return new String(new byte[]{b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)},
                StandardCharsets.ISO_8859_1);
    }
}
