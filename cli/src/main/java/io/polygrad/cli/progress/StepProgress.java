package io.polygrad.cli.progress;

import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress through a training run, shown as a progress bar on the terminal, or nothing at all when
 * output goes to a file, a pipe or a test.
 *
 * <pre>{@code
 * try (StepProgress progress = StepProgress.create("fit quadratic", steps, StepProgress.isInteractive())) {
 *     for (int step = 0; step < steps; step++) {
 *         progress.step(loss);
 *     }
 * }
 * }</pre>
 */
public interface StepProgress extends AutoCloseable {

    /** Records one finished step and its loss. */
    void step(double loss);

    /** Records one finished step, its loss and its accuracy (a fraction); shown beside the loss where supported. */
    default void step(double loss, double accuracy) {
        step(loss);
    }

    /** Ends the display. */
    @Override
    void close();

    /** Returns whether a progress bar should be drawn: the JVM is attached to a terminal. */
    static boolean isInteractive() {
        return System.console() != null;
    }

    /** Returns a progress display that shows nothing. */
    static StepProgress silent() {
        return Silent.INSTANCE;
    }

    /**
     * Returns a progress bar on standard error named {@code task} for {@code total} steps when
     * {@code show} is true, otherwise {@link #silent()}.
     */
    static StepProgress create(String task, long total, boolean show) {
        return show ? new Bar(task, total) : silent();
    }

    /** A progress display that shows nothing. */
    final class Silent implements StepProgress {
        private static final Silent INSTANCE = new Silent();

        private Silent() {
        }

        @Override
        public void step(double loss) {
        }

        @Override
        public void close() {
        }
    }

    /** A {@code me.tongfei.progressbar} bar with the latest loss as its extra message. */
    final class Bar implements StepProgress {
        private static final long MESSAGE_INTERVAL_NANOS = 50_000_000L;
        private final ProgressBar bar;
        private long lastMessage = System.nanoTime() - 2 * MESSAGE_INTERVAL_NANOS;

        Bar(String task, long total) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(100)
                    .setUnit(" steps", 1)
                    .showSpeed()
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .clearDisplayOnFinish()
                    .build();
        }

        @Override
        public void step(double loss) {
            advance(loss, " loss %.4g", loss);
        }

        @Override
        public void step(double loss, double accuracy) {
            advance(loss, " loss %.4g, accuracy %.3f", loss, accuracy);
        }

        /** Steps the bar, refreshing its message at most every 50 ms (at once when the loss is not finite). */
        private void advance(double loss, String format, Object... values) {
            bar.step();
            long now = System.nanoTime();
            if (now - lastMessage > MESSAGE_INTERVAL_NANOS || !Double.isFinite(loss)) {
                lastMessage = now;
                bar.setExtraMessage(String.format(Locale.ROOT, format, values));
            }
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
