package io.cogflow.model.video;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Animated GIF that loops forever, with the JDK's GIF writer: one median-cut palette of 256 colours for the
 * whole video ({@link MedianCutPalette}) and Floyd–Steinberg dithering ({@link PaletteDither}).
 */
final class GifEncoder implements VideoEncoder {

    @Override
    public VideoFormat format() {
        return VideoFormat.GIF;
    }

    /**
     * GIF delays are whole centiseconds: round(100 / fps), so 8 fps → 13 cs (0.130 s instead of 0.125 s, the video
     * runs 4 % slow) and 16 fps → 6 cs (0.060 s instead of 0.0625 s, 4 % fast). Never below 2 cs: browsers
     * replace 0 and 1 cs with 10 cs, which would play faster videos much slower.
     */
    static int delayCentiseconds(int fps) {
        Fps.check(fps);
        return Math.max(2, (int) Math.round(100.0 / fps));
    }

    @Override
    public byte[] encode(VideoFrames v, int fps) {
        int delay = delayCentiseconds(fps);
        int[] palette = MedianCutPalette.build(v, 256);
        IndexColorModel model = colorModel(palette);
        PaletteDither dither = new PaletteDither(palette);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int f = 0; f < v.frames(); f++) {
                BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_BYTE_INDEXED, model);
                byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                System.arraycopy(dither.indices(v, f), 0, data, 0, data.length);
                ImageWriteParam param = writer.getDefaultWriteParam();
                // the JDK writes interlaced GIFs by default, which its own reader gets wrong for small frames
                // (the last row of a 4-row frame came back as the row above) and a video does not need
                param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
                IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), param);
                frameMetadata(meta, delay, f == 0);
                writer.writeToSequence(new IIOImage(img, null, meta), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IndexColorModel colorModel(int[] palette) {
        // GIF tables hold a power of two entries; pad a short palette with black
        int n = Math.max(2, Integer.highestOneBit(palette.length - 1) << 1);
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        return new IndexColorModel(8, n, r, g, b);
    }

    private static void frameMetadata(IIOMetadata meta, int delay, boolean first) throws IIOInvalidTreeException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delay));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            // NETSCAPE2.0 application extension, sub-block 1 with loop count 0: loop forever
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[]{1, 0, 0});
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
