package io.cogflow.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PNG line charts for docs/benchmarks.md (XChart, headless). */
public final class Charts {
    private Charts() {
    }

    /** One line: x and y values in order. */
    public record Line(String name, List<Double> x, List<Double> y) {
    }

    /** A chart of several lines; {@code logX} for batch sizes 1, 2, 4, 8, 16. */
    public static void write(Path png, String title, String xTitle, String yTitle, boolean logX, List<Line> lines) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(820).height(480).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        var style = chart.getStyler();
        style.setXAxisLogarithmic(logX);
        style.setLegendPosition(Styler.LegendPosition.InsideNW);
        style.setChartBackgroundColor(java.awt.Color.WHITE);
        style.setPlotGridLinesVisible(true);
        style.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Line l : lines) {
            if (l.x().isEmpty()) {
                continue;
            }
            // XChart refuses duplicate series names
            int n = seen.merge(l.name(), 1, Integer::sum);
            XYSeries s = chart.addSeries(n == 1 ? l.name() : l.name() + " (" + n + ")", l.x(), l.y());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        try {
            if (png.getParent() != null) {
                Files.createDirectories(png.getParent());
            }
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
