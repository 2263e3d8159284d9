package io.polygrad.problems;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The loader of {@code noisy-quadratic.csv}: twenty noisy points of 3x² + 2x + 1 (x float32 values, y float64). */
final class NoisyQuadratic {

    static final String RESOURCE = "noisy-quadratic.csv";

    private static volatile double[][] cached;

    private NoisyQuadratic() {
    }

    /** Returns {@code {x, y}}, parsed once. */
    static double[][] points() {
        double[][] c = cached;
        if (c == null) {
            c = load();
            cached = c;
        }
        return new double[][] {c[0].clone(), c[1].clone()};
    }

    private static double[][] load() {
        try (InputStream in = NoisyQuadratic.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource io/polygrad/problems/" + RESOURCE + " is missing from the "
                        + "polygrad-problems jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (header == null || !header.trim().equals("x,y")) {
                throw new IllegalStateException(RESOURCE + ": expected the header 'x,y', got " + header);
            }
            List<double[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",");
                if (parts.length != 2) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNo + ": expected 'x,y', got " + line);
                }
                rows.add(new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())});
            }
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rows.get(i)[0];
                y[i] = rows.get(i)[1];
            }
            return new double[][] {x, y};
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
    }
}
