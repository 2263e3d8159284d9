package io.polygrad.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture of a fit: on the left the data as markers with each fitted curve as a line, on
 * the right each loss curve against the step on a logarithmic axis, under a title band.
 *
 * <pre>{@code
 * FitPlot plot = new FitPlot("polygrad fit quadratic", "scratch · float32 · sgd lr 0.01 · 100 steps",
 *         new Series("data", x, y), List.of(new Series("scratch", gridX, fitY)),
 *         "mean absolute error", List.of(Series.ofSteps("scratch", losses)));
 * BufferedImage image = plot.render();
 * }</pre>
 *
 * <p>Rendering needs no display: the CLI runs with {@code java.awt.headless=true}.
 */
public final class FitPlot {

    /** Width of each of the two charts in pixels. */
    public static final int CHART_WIDTH = 720;
    /** Height of the charts in pixels. */
    public static final int CHART_HEIGHT = 540;
    private static final int HEADER_HEIGHT = 64;
    private static final int MAX_LOSS_POINTS = 2000;

    /** Colours of successive curves, colour-blind safe (Okabe–Ito). */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442),
    };

    private final String title;
    private final String subtitle;
    private final Series data;
    private final List<Series> fits;
    private final String lossName;
    private final List<Series> losses;

    /**
     * Creates a plot.
     *
     * @param title    the heading, e.g. {@code polygrad fit quadratic}
     * @param subtitle a line of settings under the heading
     * @param data     the training points
     * @param fits     fitted curves over the data's x range, one per run
     * @param lossName the loss's name for the axis, e.g. {@code mean squared error}
     * @param losses   loss per step, one per run, in the same order and with the same names as {@code fits}
     */
    public FitPlot(String title, String subtitle, Series data, List<Series> fits, String lossName,
            List<Series> losses) {
        this.title = Objects.requireNonNull(title, "title");
        this.subtitle = Objects.requireNonNull(subtitle, "subtitle");
        this.data = Objects.requireNonNull(data, "data");
        this.fits = List.copyOf(fits);
        this.lossName = Objects.requireNonNull(lossName, "lossName");
        this.losses = List.copyOf(losses);
    }

    /** Returns the plot as an image of two charts side by side under a title band. */
    public BufferedImage render() {
        BufferedImage left = BitmapEncoder.getBufferedImage(fitChart());
        BufferedImage right = BitmapEncoder.getBufferedImage(lossChart());
        int width = left.getWidth() + right.getWidth();
        int height = HEADER_HEIGHT + Math.max(left.getHeight(), right.getHeight());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            drawHeader(g, title, subtitle, width, height);
            g.drawImage(left, 0, HEADER_HEIGHT, null);
            g.drawImage(right, left.getWidth(), HEADER_HEIGHT, null);
            g.setColor(new Color(0xDDDDDD));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Paints a white {@code width}×{@code height} background with {@code title} and {@code subtitle}
     * centred in the top band, anti-aliased: the heading every polygrad plot shares.
     */
    static void drawHeader(Graphics2D g, String title, String subtitle, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        drawCentered(g, title, width, 30);
        g.setColor(new Color(0x555555));
        int size = 14;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        while (size > 9 && g.getFontMetrics().stringWidth(subtitle) > width - 16) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, --size)); // a long subtitle shrinks to fit the width
        }
        drawCentered(g, subtitle, width, 54);
    }

    /** Writes the plot as PNG to {@code out}. */
    public void writePng(OutputStream out) throws IOException {
        if (!ImageIO.write(render(), "png", out)) {
            throw new IOException("No PNG writer available in this JVM");
        }
    }

    private XYChart fitChart() {
        XYChart chart = newChart("Data and fitted curve" + (fits.size() == 1 ? "" : "s"), "x", "y");
        XYSeries points = chart.addSeries(data.name(), data.x(), data.y());
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(0x333333));
        for (int i = 0; i < fits.size(); i++) {
            Series f = fits.get(i);
            XYSeries s = chart.addSeries(f.name(), f.x(), finiteOrNull(f.y()));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            style(s, i, fits.size());
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    private XYChart lossChart() {
        XYChart chart = newChart("Training loss", "step", lossName + " (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0);
        boolean any = false;
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < losses.size(); i++) {
            Series l = positiveFinite(thin(losses.get(i)));
            if (l.x().length == 0) {
                continue;
            }
            any = true;
            for (double v : l.y()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            XYSeries s = chart.addSeries(l.name(), l.x(), l.y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            style(s, i, losses.size());
        }
        if (any) {
            // Label every decade over a wide range; within a decade or so, label 2, 3, … as well.
            chart.getStyler().setYAxisLogarithmicDecadeOnly(Math.log10(hi / lo) > 1.5);
            // XChart places ticks on the data's own x values when they are evenly spaced (steps 1, 2, …,
            // giving ticks such as 95, 189, …); one invisible point off the grid gives round ticks.
            XYSeries pad = chart.addSeries(" ", new double[] {0.5}, new double[] {hi});
            pad.setShowInLegend(false);
            pad.setMarker(SeriesMarkers.NONE);
            pad.setLineColor(new Color(0, 0, 0, 0));
            pad.setMarkerColor(new Color(0, 0, 0, 0));
        } else {
            chart.getStyler().setYAxisLogarithmic(false);
            chart.setTitle("Training loss (no finite positive value to plot)");
            chart.addSeries("no data", new double[] {1}, new double[] {1}).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendVisible(losses.size() > 1);
        return chart;
    }

    /**
     * Styles curve {@code i} of {@code n}: one curve is a plain line; with several, the first is wide
     * and the others narrower and dashed, so that curves lying on top of each other stay visible.
     */
    private static void style(XYSeries s, int i, int n) {
        Color c = PALETTE[i % PALETTE.length];
        if (n == 1) {
            s.setLineColor(c);
            s.setLineWidth(2.5f);
            return;
        }
        float width = Math.max(1.5f, 5f - 1.25f * i);
        s.setLineColor(i == 0 ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 150) : c);
        s.setLineWidth(width);
        if (i > 0) {
            s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {10f + 2 * i, 6f}, 4f * i));
        }
    }

    private static XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xBBBBBB));
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAntiAlias(true);
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setPlotGridLinesColor(new Color(0xE6E6E6));
        chart.getStyler().setMarkerSize(8);
        return chart;
    }

    /** Keeps at most {@link #MAX_LOSS_POINTS} evenly spaced points, always the last one. */
    private static Series thin(Series s) {
        int n = s.x().length;
        if (n <= MAX_LOSS_POINTS) {
            return s;
        }
        double[] x = new double[MAX_LOSS_POINTS];
        double[] y = new double[MAX_LOSS_POINTS];
        for (int i = 0; i < MAX_LOSS_POINTS; i++) {
            int j = (int) Math.round((double) i * (n - 1) / (MAX_LOSS_POINTS - 1));
            x[i] = s.x()[j];
            y[i] = s.y()[j];
        }
        return new Series(s.name(), x, y);
    }

    /** Drops points a log axis cannot show (zero, negative, NaN, infinite). */
    private static Series positiveFinite(Series s) {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            double y = s.y()[i];
            if (Double.isFinite(y) && y > 0) {
                kept.add(new double[] {s.x()[i], y});
            }
        }
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = kept.get(i)[0];
            y[i] = kept.get(i)[1];
        }
        return new Series(s.name(), x, y);
    }

    /** Replaces values that cannot be drawn by gaps. */
    private static double[] finiteOrNull(double[] y) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    private static void drawCentered(Graphics2D g, String text, int width, int baseline) {
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, Math.max(8, (width - m.stringWidth(text)) / 2), baseline);
    }
}
