package io.polygrad.djl;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The quiet start-up of DJL: runs a start-up action with DJL's own log chatter held back.
 *
 * <p>Loading the PyTorch engine makes DJL log "Found matching platform…", "Extracting … to cache",
 * "Number of inter-op threads is …" (INFO), a dozen DEBUG lines, and on machines with a CUDA runtime
 * but no usable GPU "Failed to detect GPU count" (WARN, twice). A library should not put that on its
 * users' console, so for the duration of the load the {@code ai.djl} logger is set to ERROR, but only
 * where the user has not configured it, and only for the logging back ends found at run time
 * (nothing is added to the classpath):
 * <ul>
 *   <li>logback: the level of {@code ai.djl} is set to ERROR, then reset to "inherit";</li>
 *   <li>java.util.logging (slf4j-jdk14): the same on the JUL logger {@code ai.djl};</li>
 *   <li>slf4j-simple: {@code org.slf4j.simpleLogger.log.ai.djl=error} is set while DJL's classes
 *       create their loggers, then removed (those loggers keep ERROR);</li>
 *   <li>log4j2 prints only ERROR without a configuration file, so it is left alone.</li>
 * </ul>
 * A failed load is reported by polygrad with its cause, so nothing is lost; to see DJL's own
 * messages run with {@code -Dpolygrad.djl.quiet=false}.
 */
final class DjlQuietStartup {

    static final String DJL_LOGGER = "ai.djl";
    private static final String SIMPLE_LOGGER_KEY = "org.slf4j.simpleLogger.log." + DJL_LOGGER;

    private DjlQuietStartup() {
    }

    /** Returns {@code action.get()}, run with DJL's start-up logging held back to ERROR. */
    static <T> T run(Supplier<T> action) {
        if ("false".equalsIgnoreCase(System.getProperty("polygrad.djl.quiet"))) {
            return action.get();
        }
        Deque<Runnable> restore = new ArrayDeque<>();
        quietJul(restore);
        quietSlf4jBinding(restore);
        try {
            return action.get();
        } finally {
            while (!restore.isEmpty()) {
                restore.pop().run();
            }
        }
    }

    private static void quietJul(Deque<Runnable> restore) {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(DJL_LOGGER);
        if (jul.getLevel() == null) {
            jul.setLevel(java.util.logging.Level.SEVERE);
            restore.push(() -> jul.setLevel(null)); // the lambda keeps the JUL logger reachable
        }
    }

    private static void quietSlf4jBinding(Deque<Runnable> restore) {
        try {
            org.slf4j.Logger logger = LoggerFactory.getLogger(DJL_LOGGER);
            String type = logger.getClass().getName();
            if (type.equals("ch.qos.logback.classic.Logger")) {
                quietLogback(logger, restore);
            } else if (type.equals("org.slf4j.simple.SimpleLogger")
                    && System.getProperty(SIMPLE_LOGGER_KEY) == null) {
                System.setProperty(SIMPLE_LOGGER_KEY, "error");
                restore.push(() -> System.clearProperty(SIMPLE_LOGGER_KEY));
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Quieting is a courtesy: if the binding is not what we expect, log as configured.
        }
    }

    private static void quietLogback(Object logger, Deque<Runnable> restore)
            throws ReflectiveOperationException {
        Class<?> loggerType = logger.getClass();
        if (loggerType.getMethod("getLevel").invoke(logger) != null) {
            return; // configured by the user
        }
        Class<?> levelType = Class.forName("ch.qos.logback.classic.Level", false, loggerType.getClassLoader());
        Method setLevel = loggerType.getMethod("setLevel", levelType);
        setLevel.invoke(logger, levelType.getField("ERROR").get(null));
        restore.push(() -> {
            try {
                setLevel.invoke(logger, (Object) null);
            } catch (ReflectiveOperationException e) {
                // leave the level at ERROR
            }
        });
    }
}
