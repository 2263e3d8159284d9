package io.polygrad.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The DJL runtime of this JVM: the PyTorch engine, loaded once per JVM from the libtorch jars on the
 * classpath, with DJL's network features off; and what is missing when it cannot load.
 *
 * <p>Before DJL's {@code Engine} class is first touched this sets, unless the user already chose
 * (system property or environment variable):
 * <ul>
 *   <li>{@code ai.djl.offline=true} (env {@code DJL_OFFLINE}): DJL never downloads libtorch, JNI glue
 *       or models; without the native jar it fails instead of fetching from the internet;</li>
 *   <li>{@code OPT_OUT_TRACKING=true}: DJL's usage tracking ({@code Ec2Utils.callHome}, which probes
 *       the EC2 metadata endpoint at engine start) is off. Offline mode alone skips it too.</li>
 * </ul>
 */
final class DjlRuntime {

    static final String ENGINE_NAME = "PyTorch";
    static final String ARTIFACT = "io.polygrad:polygrad-backend-djl";

    private static Engine engine;
    private static Throwable failure;

    private DjlRuntime() {
    }

    /**
     * Returns the loaded PyTorch engine.
     *
     * @throws IllegalStateException naming the missing jar, classifier or setting, with the cause
     */
    static synchronized Engine engine() {
        if (engine != null) {
            return engine;
        }
        if (failure == null) {
            applyDefaults();
            try {
                engine = DjlQuietStartup.run(() -> Engine.getEngine(ENGINE_NAME));
                return engine;
            } catch (Throwable t) { // UnsatisfiedLinkError, EngineException, ...: report, never crash
                failure = t;
            }
        }
        throw new IllegalStateException(explainFailure(failure, DjlRuntime.class.getClassLoader()), failure);
    }

    /**
     * Returns why the engine cannot use {@code device}, or null when it can.
     *
     * @throws IllegalStateException if the engine cannot load at all
     */
    static String problemWith(io.polygrad.Device device) {
        engine();
        if (device.type() == io.polygrad.Device.Type.CPU) {
            return null;
        }
        if (!hasCuda()) {
            String needs = " (it needs an NVIDIA driver for CUDA 12.4+ and a CUDA runtime libcudart.so, 12.4+, on the"
                    + " library path; -Dpolygrad.djl.quiet=false shows DJL's GPU detection)";
            ClassLoader loader = DjlRuntime.class.getClassLoader();
            String why;
            if (libtorchIsCudaBuild()) {
                why = "The CUDA build of libtorch finds no usable GPU" + needs;
            } else if (nativeJars(loader).stream().anyMatch(p -> p.getProperty("flavor", "").startsWith("cu"))) {
                why = "A CUDA build of libtorch is on the classpath, but DJL found no usable GPU and loaded the CPU build"
                        + needs;
            } else {
                why = "The libtorch on the classpath is a CPU build; for " + device + " build " + ARTIFACT
                        + " with -Pcuda (ai.djl.pytorch:pytorch-native-cu124:2.5.1)";
            }
            return why + ". Here: " + versions(loader) + ".";
        }
        int gpus = gpuCount();
        if (device.index() >= gpus) {
            return "The PyTorch engine sees " + gpus + " CUDA device(s); " + device + " does not exist here.";
        }
        return null;
    }

    /** Returns the number of CUDA devices the loaded engine can use (0 for a CPU build of libtorch). */
    static int gpuCount() {
        Engine e = engine();
        return e.hasCapability(StandardCapabilities.CUDA) ? e.getGpuCount() : 0;
    }

    /** Returns whether the loaded libtorch was built with CUDA and sees a GPU. */
    static boolean hasCuda() {
        return engine().hasCapability(StandardCapabilities.CUDA);
    }

    /** Returns whether the loaded libtorch is a CUDA build (its cache folder names the flavor, e.g. {@code 2.5.1-cu124-linux-x86_64}). */
    static boolean libtorchIsCudaBuild() {
        engine();
        String dir = Paths.get(LibUtils.getLibtorchPath()).getFileName().toString();
        return dir.contains("-cu");
    }

    /** Sets DJL's offline and tracking switches unless the user set them. */
    static void applyDefaults() {
        setIfUnset("ai.djl.offline", "DJL_OFFLINE", "true");
        setIfUnset("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
    }

    private static void setIfUnset(String property, String env, String value) {
        if (System.getProperty(property) == null && System.getenv(env) == null) {
            System.setProperty(property, value);
        }
    }

    /** Returns the classifier DJL uses for this machine, e.g. {@code linux-x86_64}. */
    static String machineClassifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String prefix = os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : os;
        String arch = System.getProperty("os.arch", "");
        return prefix + '-' + ("amd64".equals(arch) ? "x86_64" : arch);
    }

    /**
     * Returns the versions this backend runs with, read from the jars' property files (no native code
     * is loaded for it), e.g. {@code djl 0.35.1, pytorch 2.7.1, natives [cpu-linux-x86_64 2.7.1-20250812]},
     * and the libtorch folder in use once the engine is loaded.
     */
    static String versions(ClassLoader loader) {
        Properties engineProps = load(loader, "pytorch-engine.properties");
        StringBuilder sb = new StringBuilder("djl ")
                .append(engineProps.getProperty("djl_version", "?"))
                .append(", pytorch ")
                .append(engineProps.getProperty("pytorch_version", "?"))
                .append(", natives ");
        List<Properties> natives = nativeJars(loader);
        sb.append(natives.isEmpty() ? "none on the classpath" : natives.stream()
                .map(p -> p.getProperty("flavor", "?") + '-' + p.getProperty("classifier", "?") + ' '
                        + p.getProperty("version", "?"))
                .collect(Collectors.joining(", ", "[", "]")));
        synchronized (DjlRuntime.class) {
            if (engine != null) {
                sb.append(", loaded ").append(Paths.get(LibUtils.getLibtorchPath()).getFileName());
            }
        }
        return sb.toString();
    }

    /** Returns a message saying why the engine did not load and which jar or setting fixes it. */
    static String explainFailure(Throwable cause, ClassLoader loader) {
        Properties engineProps = load(loader, "pytorch-engine.properties");
        String djl = engineProps.getProperty("djl_version", "<djl.version>");
        String torch = engineProps.getProperty("pytorch_version", "<pytorch.version>");
        String classifier = machineClassifier();
        StringBuilder sb = new StringBuilder("The djl backend cannot load the PyTorch engine");
        if (cause != null) {
            sb.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                sb.append(": ").append(cause.getMessage());
            }
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != cause && root.getMessage() != null) {
                sb.append("; caused by ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
            }
            sb.append(')');
        }
        sb.append(". ");
        if (engineProps.isEmpty()) {
            sb.append("ai.djl.pytorch:pytorch-engine is not on the classpath; add ").append(ARTIFACT)
                    .append(" with its dependencies. ");
        }
        List<Properties> natives = nativeJars(loader);
        if (natives.isEmpty()) {
            sb.append("No libtorch native jar is on the classpath: add ai.djl.pytorch:pytorch-native-cpu:")
                    .append(torch).append(" with classifier ").append(classifier)
                    .append(" (or pytorch-native-cu124 for CUDA). ");
        } else if (natives.stream().noneMatch(p -> classifier.equals(p.getProperty("classifier")))) {
            sb.append("The libtorch jars on the classpath are for ")
                    .append(natives.stream().map(p -> p.getProperty("classifier")).collect(Collectors.joining(", ")))
                    .append(" but this machine is ").append(classifier).append(": use classifier ").append(classifier)
                    .append(" (Maven: -Ddjl.platform=").append(classifier).append("). ");
        }
        if (loader.getResource("jnilib/pytorch.properties") == null) {
            sb.append("The JNI glue is missing: add ai.djl.pytorch:pytorch-jni:").append(torch).append('-')
                    .append(djl).append(". ");
        }
        String override = System.getenv("PYTORCH_VERSION") != null ? System.getenv("PYTORCH_VERSION")
                : System.getProperty("PYTORCH_VERSION");
        if (override != null && !override.isEmpty() && !override.equals(torch)) {
            sb.append("PYTORCH_VERSION=").append(override).append(" asks DJL for another libtorch than the bundled ")
                    .append(torch).append("; unset it. ");
        }
        sb.append("DJL runs offline here and never downloads libtorch (ai.djl.offline=")
                .append(System.getProperty("ai.djl.offline", "unset")).append(").");
        return sb.toString();
    }

    /** Returns the {@code native/lib/pytorch.properties} of every libtorch jar on the classpath. */
    private static List<Properties> nativeJars(ClassLoader loader) {
        List<Properties> out = new ArrayList<>();
        try {
            Enumeration<URL> urls = loader.getResources("native/lib/pytorch.properties");
            while (urls.hasMoreElements()) {
                Properties p = load(urls.nextElement());
                if (!p.isEmpty() && p.getProperty("placeholder") == null) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            // treat as none found
        }
        return out;
    }

    private static Properties load(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        return url == null ? new Properties() : load(url);
    }

    private static Properties load(URL url) {
        Properties props = new Properties();
        try (InputStream in = url.openStream()) {
            props.load(in);
        } catch (IOException e) {
            props.clear();
        }
        return props;
    }
}
