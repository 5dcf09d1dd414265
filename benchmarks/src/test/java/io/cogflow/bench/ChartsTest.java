package io.cogflow.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {
    @Test
    void writesAPngWithTheLinesDrawn(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plots/latency.png");
        Charts.write(png, "latency", "load", "s", false, List.of(
                new Charts.Line("fixed p50", List.of(50.0, 80.0, 95.0), List.of(1.0, 2.0, 4.0)),
                new Charts.Line("fixed p50", List.of(50.0, 80.0, 95.0), List.of(0.5, 1.0, 3.0))));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(820);
        assertThat(image.getHeight()).isEqualTo(480);
        // some pixels are neither white nor grey: the coloured series
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    coloured++;
                }
            }
        }
        assertThat(coloured).isGreaterThan(50);
    }
}
