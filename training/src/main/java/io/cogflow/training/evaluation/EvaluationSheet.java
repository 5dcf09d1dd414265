package io.cogflow.training.evaluation;

import io.cogflow.model.video.Png;
import io.cogflow.model.video.VideoFrames;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A PNG contact sheet of an evaluation: one row per video with evenly spaced frames, the prompt, and the judge's
 * reading with each attribute marked right or wrong — the picture a person checks the numbers against.
 */
public final class EvaluationSheet {
    private static final int LABEL_HEIGHT = 30;
    private static final Color RIGHT = new Color(0x2E7D32);
    private static final Color WRONG = new Color(0xC62828);

    private EvaluationSheet() {
    }

    /** @param columns frames shown per video, spread evenly from the first to the last */
    public static byte[] png(List<PromptAdherence.Case> cases, int columns, int scale) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw");
        }
        VideoFrames first = cases.get(0).frames();
        int cellW = first.width() * scale;
        int cellH = first.height() * scale;
        int gap = 4;
        int width = Math.max(columns * (cellW + gap) + gap, 360);
        int rowH = cellH + LABEL_HEIGHT + gap;
        BufferedImage img = new BufferedImage(width, cases.size() * rowH + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int r = 0; r < cases.size(); r++) {
                PromptAdherence.Case c = cases.get(r);
                int y = gap + r * rowH;
                g.setColor(Color.BLACK);
                g.drawString(c.prompt().caption(), gap, y + 12);
                int x = gap;
                x = label(g, x, y + 26, "colour " + name(c.judged().colour()), c.colourRight());
                x = label(g, x, y + 26, "motion " + name(c.judged().motion()), c.motionRight());
                x = label(g, x, y + 26, "shape " + name(c.judged().shape()), c.shapeRight());
                Double jump = c.judged().jumpRatio();
                label(g, x, y + 26, jump == null ? "glides ?" : String.format(java.util.Locale.ROOT,
                        c.smooth() ? "glides (jump %.1fx)" : "jumps %.1fx", jump), c.smooth());
                VideoFrames f = c.frames();
                for (int k = 0; k < columns; k++) {
                    int frame = columns == 1 ? 0 : Math.round(k * (f.frames() - 1) / (float) (columns - 1));
                    draw(img, f, frame, gap + k * (cellW + gap), y + LABEL_HEIGHT, scale);
                }
            }
        } finally {
            g.dispose();
        }
        return Png.encode(img);
    }

    private static int label(Graphics2D g, int x, int y, String text, boolean right) {
        g.setColor(right ? RIGHT : WRONG);
        String s = (right ? "✓ " : "✗ ") + text;
        g.drawString(s, x, y);
        return x + g.getFontMetrics().stringWidth(s) + 10;
    }

    private static String name(Enum<?> e) {
        return e == null ? "?" : e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void draw(BufferedImage img, VideoFrames f, int frame, int x0, int y0, int scale) {
        int base = f.frameOffset(frame);
        for (int y = 0; y < f.height() * scale; y++) {
            for (int x = 0; x < f.width() * scale; x++) {
                int p = base + ((y / scale) * f.width() + x / scale) * 3;
                int rgb = (f.rgb()[p] & 0xFF) << 16 | (f.rgb()[p + 1] & 0xFF) << 8 | (f.rgb()[p + 2] & 0xFF);
                img.setRGB(x0 + x, y0 + y, rgb);
            }
        }
    }
}
