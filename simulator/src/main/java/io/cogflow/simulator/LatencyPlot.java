package io.cogflow.simulator;

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
import java.util.List;
import java.util.Locale;

/**
 * The latency-against-load PNG of a comparison: p95 end-to-end latency per policy/routing (p50 stays in the
 * tables: sixteen lines would hide each other), drawn like the benchmarks' charts (XChart, headless).
 */
public final class LatencyPlot {

    private LatencyPlot() {
    }

    public static void write(Path png, String title, List<Sweep> sweeps) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title)
                .xAxisTitle(String.format(Locale.ROOT, "offered load, %% of %.3f videos/s",
                        sweeps.isEmpty() ? Double.NaN : sweeps.get(0).referencePerSecond()))
                .yAxisTitle("p95 end-to-end latency, s").build();
        var style = chart.getStyler();
        style.setLegendPosition(Styler.LegendPosition.OutsideE);
        style.setChartBackgroundColor(java.awt.Color.WHITE);
        style.setPlotGridLinesVisible(true);
        style.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (Sweep s : sweeps) {
            List<Double> x = s.levels().stream().map(r -> 100 * r.load()).toList();
            String name = s.policy() + "/" + s.routing();
            XYSeries p95 = chart.addSeries(name, x, s.levels().stream().map(r -> r.latencyMs().p95() / 1000)
                    .toList());
            p95.setMarker(SeriesMarkers.CIRCLE);
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
