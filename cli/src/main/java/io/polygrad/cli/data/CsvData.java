package io.polygrad.cli.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reader of two-column {@code x,y} CSV files, failing with the line number and the offending text.
 *
 * <p>The format is that of {@code shared/data/noisy-quadratic.csv}: UTF-8, an optional header line
 * (a first line with no number in it, e.g. {@code x,y}), then one point a line as two decimal
 * numbers separated by a comma. Blank lines and lines starting with {@code #} are skipped.
 *
 * <pre>{@code
 * XyData data = CsvData.load(Path.of("noisy-quadratic.csv"));
 * data.size();   // 20
 * }</pre>
 */
public final class CsvData {

    /** A decimal number as written by NumPy, pandas or Java; no hex, no {@code d}/{@code f} suffix. */
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static final int MAX_SHOWN = 80;

    private CsvData() {
    }

    /**
     * Returns the points in {@code file}.
     *
     * @throws CsvFormatException if the file is missing, unreadable, a directory, has no data line, or
     *                            has a line that is not two finite numbers
     */
    public static XyData load(Path file) throws CsvFormatException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new CsvFormatException(name + ": is a directory, not a CSV file");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (NoSuchFileException e) {
            throw new CsvFormatException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CsvFormatException(name + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(name + ": not a UTF-8 text file (line " + (lines.size() + 1) + ")",
                    lines.size() + 1);
        } catch (IOException e) {
            throw new CsvFormatException(name + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(lines, name);
    }

    /**
     * Returns the points in {@code lines} (the contents of a CSV file), naming {@code source} in
     * messages.
     *
     * @throws CsvFormatException if there is no data line or a line is not two finite numbers
     */
    public static XyData parse(List<String> lines, String source) throws CsvFormatException {
        List<double[]> points = new ArrayList<>();
        boolean seenContent = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String raw = i == 0 ? stripBom(lines.get(i)) : lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean first = !seenContent;
            seenContent = true;
            String[] fields = line.split(",", -1);
            if (first && isHeader(fields)) {
                continue;
            }
            if (fields.length != 2) {
                throw new CsvFormatException(source + ":" + lineNumber + ": expected 2 comma-separated numbers (x,y)"
                        + " but found " + fields.length + " field" + (fields.length == 1 ? "" : "s")
                        + ": \"" + shorten(raw) + "\"", lineNumber);
            }
            double x = number(fields[0], "x", source, lineNumber, raw);
            double y = number(fields[1], "y", source, lineNumber, raw);
            points.add(new double[] {x, y});
        }
        if (points.isEmpty()) {
            throw new CsvFormatException(source + ": " + (seenContent ? "has a header but no data lines"
                    : "is empty") + "; expected lines of x,y numbers");
        }
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new XyData(xs, ys, source);
    }

    private static boolean isHeader(String[] fields) {
        for (String f : fields) {
            if (NUMBER.matcher(f.strip()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static double number(String field, String column, String source, int lineNumber, String raw)
            throws CsvFormatException {
        String f = field.strip();
        if (NUMBER.matcher(f).matches()) {
            double v = Double.parseDouble(f);
            if (Double.isFinite(v)) {
                return v;
            }
            throw new CsvFormatException(source + ":" + lineNumber + ": " + column + " value \"" + shorten(f)
                    + "\" is out of the double range: \"" + shorten(raw) + "\"", lineNumber);
        }
        throw new CsvFormatException(source + ":" + lineNumber + ": " + column + " value \"" + shorten(f)
                + "\" is not a number: \"" + shorten(raw) + "\"", lineNumber);
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
    }
}
