package io.polygrad.cli.plot;

import io.polygrad.cli.run.ClassifierTraining.Epoch;
import io.polygrad.train.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
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
 * The picture of a classifier's training run: the training and test loss and accuracy per epoch,
 * the test set's confusion matrix as a heat map, and a grid of test images with their predicted and
 * true labels (green when right, red when wrong), under a title band.
 */
public final class TrainingPlot {

    /** One test image with its labels: {@code pixels} row-major in [0, 1]. */
    public record Sample(float[] pixels, int rows, int columns, int trueLabel, int predictedLabel) {
    }

    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 420;
    private static final int HEADER_HEIGHT = 70;

    private final String title;
    private final String subtitle;
    private final List<Epoch> history;
    private final ConfusionMatrix confusion;
    private final List<String> classNames;
    private final List<Sample> samples;

    /** Creates the plot of {@code history}, the final {@code confusion} matrix and {@code samples}. */
    public TrainingPlot(String title, String subtitle, List<Epoch> history, ConfusionMatrix confusion,
            List<String> classNames, List<Sample> samples) {
        this.title = Objects.requireNonNull(title, "title");
        this.subtitle = Objects.requireNonNull(subtitle, "subtitle");
        this.history = List.copyOf(history);
        this.confusion = Objects.requireNonNull(confusion, "confusion");
        this.classNames = List.copyOf(classNames);
        this.samples = List.copyOf(samples);
    }

    /** Returns the plot: loss and accuracy charts above, the confusion matrix and the image grid below. */
    public BufferedImage render() {
        int width = 2 * PANEL_WIDTH;
        int height = HEADER_HEIGHT + 2 * PANEL_HEIGHT;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            FitPlot.drawHeader(g, title, subtitle, width, height);
            g.drawImage(BitmapEncoder.getBufferedImage(curves("Loss per sample", "loss", true)), 0, HEADER_HEIGHT,
                    null);
            g.drawImage(BitmapEncoder.getBufferedImage(curves("Accuracy", "accuracy", false)), PANEL_WIDTH,
                    HEADER_HEIGHT, null);
            drawConfusion(g, 0, HEADER_HEIGHT + PANEL_HEIGHT);
            drawSamples(g, PANEL_WIDTH, HEADER_HEIGHT + PANEL_HEIGHT);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes the plot as PNG to {@code out}. */
    public void writePng(OutputStream out) throws IOException {
        if (!ImageIO.write(render(), "png", out)) {
            throw new IOException("No PNG writer available in this JVM");
        }
    }

    private XYChart curves(String chartTitle, String yTitle, boolean loss) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(chartTitle)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        // loss falls and accuracy rises: the legend goes where the curves are not
        chart.getStyler().setLegendPosition(loss ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xEEEEEE));
        chart.getStyler().setDecimalPattern(loss ? "0.###" : "0.000");
        chart.getStyler().setXAxisDecimalPattern("0"); // epochs are whole numbers
        double[] x = new double[history.size()];
        double[] train = new double[x.length];
        double[] test = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            Epoch e = history.get(i);
            x[i] = e.epoch();
            train[i] = finite(loss ? e.trainLoss() : e.trainAccuracy());
            test[i] = finite(loss ? e.testLoss() : e.testAccuracy());
        }
        if (x.length == 0) {
            x = new double[] {0};
            train = new double[] {0};
            test = new double[] {0};
        }
        XYSeries a = chart.addSeries("training", x, train);
        a.setMarker(SeriesMarkers.CIRCLE);
        a.setLineColor(new Color(0x1f77b4));
        a.setMarkerColor(new Color(0x1f77b4));
        XYSeries b = chart.addSeries("test", x, test);
        b.setMarker(SeriesMarkers.DIAMOND);
        b.setLineColor(new Color(0xd62728));
        b.setMarkerColor(new Color(0xd62728));
        return chart;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private void drawConfusion(Graphics2D g, int x0, int y0) {
        int c = confusion.classes();
        int left = x0 + 130;
        int top = y0 + 50;
        int cell = Math.min((PANEL_WIDTH - 150) / c, (PANEL_HEIGHT - 80) / c);
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        centered(g, String.format("Test confusion matrix (accuracy %.4f)", confusion.accuracy()), x0, PANEL_WIDTH,
                y0 + 24);
        long max = 1;
        for (int t = 0; t < c; t++) {
            for (int p = 0; p < c; p++) {
                max = Math.max(max, confusion.count(t, p));
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < c; t++) {
            g.setColor(new Color(0x333333));
            String name = classNames.get(t);
            g.drawString(name, left - 6 - fm.stringWidth(name), top + t * cell + cell / 2 + 4);
            for (int p = 0; p < c; p++) {
                long n = confusion.count(t, p);
                float level = (float) Math.sqrt((double) n / max);
                g.setColor(new Color(1f - 0.8f * level, 1f - 0.6f * level, 1f - 0.2f * level));
                g.fillRect(left + p * cell, top + t * cell, cell - 1, cell - 1);
                if (n > 0) {
                    g.setColor(level > 0.6f ? Color.WHITE : new Color(0x333333));
                    String s = Long.toString(n);
                    g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2, top + t * cell + cell / 2 + 4);
                }
            }
        }
        g.setColor(new Color(0x555555));
        for (int p = 0; p < c; p++) {
            String s = Integer.toString(p);
            g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2, top - 6);
        }
        g.drawString("predicted class →", left, top + c * cell + 14);
        g.drawString("true ↓", x0 + 10, top - 6);
    }

    private void drawSamples(Graphics2D g, int x0, int y0) {
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        centered(g, "Test images: predicted (true)", x0, PANEL_WIDTH, y0 + 24);
        int columns = 6;
        int tile = 84;
        int scale = 2;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < samples.size() && k < 24; k++) {
            Sample s = samples.get(k);
            int tx = x0 + 26 + (k % columns) * tile;
            int ty = y0 + 40 + (k / columns) * (tile + 10);
            BufferedImage img = new BufferedImage(s.columns(), s.rows(), BufferedImage.TYPE_INT_RGB);
            for (int r = 0; r < s.rows(); r++) {
                for (int col = 0; col < s.columns(); col++) {
                    int v = 255 - Math.round(255 * Math.max(0f, Math.min(1f, s.pixels()[r * s.columns() + col])));
                    img.setRGB(col, r, (v << 16) | (v << 8) | v);
                }
            }
            g.drawImage(img, tx, ty, s.columns() * scale, s.rows() * scale, null);
            boolean right = s.trueLabel() == s.predictedLabel();
            g.setColor(right ? new Color(0x2ca02c) : new Color(0xd62728));
            String label = shortName(s.predictedLabel()) + (right ? "" : " (" + shortName(s.trueLabel()) + ")");
            g.drawString(label, tx + (s.columns() * scale - fm.stringWidth(label)) / 2, ty + s.rows() * scale + 12);
        }
    }

    private String shortName(int label) {
        String name = classNames.get(label);
        int slash = name.indexOf('/');
        return slash > 0 ? name.substring(0, slash) : name;
    }

    private static void centered(Graphics2D g, String text, int x0, int width, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x0 + (width - fm.stringWidth(text)) / 2, baseline);
    }
}
