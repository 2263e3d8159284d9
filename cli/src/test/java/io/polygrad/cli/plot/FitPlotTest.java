package io.polygrad.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FitPlotTest {

    private static FitPlot plot(double[] losses) {
        double[] x = {-1, 0, 1};
        double[] y = {1, 0, 1};
        return new FitPlot("t", "s", new Series("data", x, y), List.of(new Series("fit", x, y)), "mse",
                List.of(Series.ofSteps("fit", losses)));
    }

    @Test
    void writePng_twoChartsSideBySide_isAReadablePngTwiceAsWideAsAChart() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plot(new double[] {1, 0.5, 0.25}).writePng(out);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(2 * FitPlot.CHART_WIDTH, img.getWidth());
        assertTrue(img.getHeight() > FitPlot.CHART_HEIGHT);
    }

    @Test
    void render_lossesWithZeroNaNAndInfinity_stillDraws() {
        BufferedImage img = plot(new double[] {Double.POSITIVE_INFINITY, 1, 0, Double.NaN, 0.1}).render();
        assertEquals(2 * FitPlot.CHART_WIDTH, img.getWidth());
    }

    @Test
    void render_noPlottableLoss_stillDraws() {
        BufferedImage img = plot(new double[] {Double.NaN, 0}).render();
        assertEquals(2 * FitPlot.CHART_WIDTH, img.getWidth());
    }

    @Test
    void render_longLossCurve_isThinned() {
        double[] losses = new double[100_000];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = 1.0 / (i + 1);
        }
        assertEquals(2 * FitPlot.CHART_WIDTH, plot(losses).render().getWidth());
    }
}
