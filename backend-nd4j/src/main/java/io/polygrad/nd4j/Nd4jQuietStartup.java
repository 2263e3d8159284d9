package io.polygrad.nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The quiet start-up of ND4J: silences its start-up chatter before ND4J is first touched, without
 * forcing a logging binding on users.
 *
 * <p>ND4J logs about ten INFO lines when it starts (backend, thread counts, binary level, BLAS
 * vendor, build information). Through SLF4J these reach the console of anyone whose binding logs
 * INFO, which is every binding's default. This class:
 * <ul>
 *   <li>sets {@code org.nd4j.log.initialization=false} (ND4J's own switch for the environment
 *       report) unless the user set it;</li>
 *   <li>raises the level of exactly the ND4J loggers that print start-up information to WARN, for the
 *       bindings it recognises (Logback, Log4j 2, slf4j-simple, java.util.logging), found
 *       reflectively so that none of them is a dependency; a logger, or one of its parents below the
 *       root, that the user configured explicitly is left alone.</li>
 * </ul>
 * Warnings and errors still get through. Set {@code -Dpolygrad.nd4j.quiet=false} to keep ND4J's
 * INFO output.
 */
final class Nd4jQuietStartup {

    /** System property that turns this off. */
    static final String QUIET_PROPERTY = "polygrad.nd4j.quiet";

    /** ND4J's loggers that print start-up information at INFO (CPU and CUDA backends). */
    static final List<String> CHATTY_LOGGERS = List.of(
            "org.nd4j.linalg.factory.Nd4jBackend",
            "org.nd4j.nativeblas.NativeOpsHolder",
            "org.nd4j.nativeblas.Nd4jBlas",
            "org.nd4j.linalg.cpu.nativecpu.CpuNDArrayFactory",
            "org.nd4j.linalg.cpu.nativecpu.CpuBackend",
            "org.nd4j.linalg.api.ops.executioner.DefaultOpExecutioner",
            "org.nd4j.linalg.jcublas.JCublasBackend",
            "org.nd4j.linalg.jcublas.JCublasNDArrayFactory",
            "org.nd4j.linalg.jcublas.ops.executioner.CudaExecutioner",
            "org.nd4j.jita.allocator.impl.AtomicAllocator",
            "org.nd4j.jita.concurrency.CudaAffinityManager",
            "org.nd4j.jita.constant.ConstantProtector",
            "org.nd4j.jita.conf.CudaEnvironment",
            "org.nd4j.linalg.jcublas.buffer.BaseCudaDataBuffer");

    /** Strong references, so that java.util.logging does not forget the levels set here. */
    private static final List<Object> KEEP = new ArrayList<>();

    private static boolean applied;

    private Nd4jQuietStartup() {
    }

    /** Applies the settings once; never throws. */
    static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        if ("false".equalsIgnoreCase(System.getProperty(QUIET_PROPERTY))) {
            return;
        }
        setIfAbsent("org.nd4j.log.initialization", "false");
        try {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            String kind = factory.getClass().getName();
            if (kind.startsWith("ch.qos.logback.")) {
                quietLogback(factory);
            } else if (kind.startsWith("org.apache.logging.")) {
                quietLog4j2();
            } else if (kind.endsWith(".SimpleLoggerFactory")) {
                quietSimple();
            } else if (kind.endsWith(".JDK14LoggerFactory")) {
                quietJul();
            }
        } catch (Throwable t) {
            // logging configuration is best effort; never fail the backend because of it
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Returns {@code name} and its parents, e.g. {@code a.b.C, a.b, a}. */
    static List<String> withParents(String name) {
        List<String> names = new ArrayList<>();
        String n = name;
        while (true) {
            names.add(n);
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return names;
            }
            n = n.substring(0, dot);
        }
    }

    private static void quietLogback(ILoggerFactory factory) throws ReflectiveOperationException {
        Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
        Object warn = levelClass.getField("WARN").get(null);
        Method getLogger = factory.getClass().getMethod("getLogger", String.class);
        for (String name : CHATTY_LOGGERS) {
            boolean configured = false;
            for (String n : withParents(name)) {
                Object logger = getLogger.invoke(factory, n);
                if (logger.getClass().getMethod("getLevel").invoke(logger) != null) {
                    configured = true;
                    break;
                }
            }
            if (!configured) {
                Object logger = getLogger.invoke(factory, name);
                logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
            }
        }
    }

    private static void quietLog4j2() throws ReflectiveOperationException {
        ClassLoader cl = Nd4jQuietStartup.class.getClassLoader();
        Class<?> logManager = Class.forName("org.apache.logging.log4j.LogManager", true, cl);
        Object context = logManager.getMethod("getContext", boolean.class).invoke(null, false);
        Object configuration = context.getClass().getMethod("getConfiguration").invoke(context);
        @SuppressWarnings("unchecked")
        java.util.Map<String, ?> loggers = (java.util.Map<String, ?>)
                configuration.getClass().getMethod("getLoggers").invoke(configuration);
        Class<?> levelClass = Class.forName("org.apache.logging.log4j.Level", true, cl);
        Object warn = levelClass.getField("WARN").get(null);
        Class<?> configurator = Class.forName("org.apache.logging.log4j.core.config.Configurator", true, cl);
        Method setLevel = configurator.getMethod("setLevel", String.class, levelClass);
        for (String name : CHATTY_LOGGERS) {
            if (withParents(name).stream().noneMatch(loggers::containsKey)) {
                setLevel.invoke(null, name, warn);
            }
        }
    }

    private static void quietSimple() {
        String prefix = "org.slf4j.simpleLogger.log.";
        Properties file = new Properties();
        try (InputStream in = Nd4jQuietStartup.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            // no file: nothing configured there
        }
        for (String name : CHATTY_LOGGERS) {
            boolean configured = withParents(name).stream().anyMatch(n ->
                    System.getProperty(prefix + n) != null || file.getProperty(prefix + n) != null);
            if (!configured) {
                System.setProperty(prefix + name, "warn");
            }
        }
    }

    private static void quietJul() {
        java.util.logging.LogManager manager = java.util.logging.LogManager.getLogManager();
        for (String name : CHATTY_LOGGERS) {
            boolean configured = withParents(name).stream().anyMatch(n -> manager.getProperty(n + ".level") != null);
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            if (!configured && logger.getLevel() == null) {
                logger.setLevel(java.util.logging.Level.WARNING);
                KEEP.add(logger);
            }
        }
    }
}
