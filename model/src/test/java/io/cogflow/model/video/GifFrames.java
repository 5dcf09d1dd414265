package io.cogflow.model.video;

import io.cogflow.model.video.VideoFrames;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads an animated GIF back with javax.imageio. Assumes full-size frames, which is what cogflow writes. */
public final class GifFrames {
    private GifFrames() {
    }

    public static VideoFrames read(byte[] gif) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in, false);
            int n = reader.getNumImages(true);
            BufferedImage first = reader.read(0);
            int w = first.getWidth();
            int h = first.getHeight();
            byte[] rgb = new byte[n * h * w * 3];
            int o = 0;
            for (int f = 0; f < n; f++) {
                BufferedImage img = f == 0 ? first : reader.read(f);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = img.getRGB(x, y);
                        rgb[o++] = (byte) (p >> 16);
                        rgb[o++] = (byte) (p >> 8);
                        rgb[o++] = (byte) p;
                    }
                }
            }
            return new VideoFrames(n, h, w, rgb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reader.dispose();
        }
    }
}
