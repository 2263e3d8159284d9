package io.polygrad.nd4j;

import io.polygrad.Device;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The ND4J runtime of this JVM: loads its native libraries once (quietly), switches its
 * debugging aids off, and remembers either the devices it found or why it could not load.
 *
 * <p>ND4J holds one backend per JVM: {@code nd4j-cuda} when it is on the classpath and a GPU is
 * present, otherwise {@code nd4j-native}. Whatever it picked is the only kind of device this
 * polygrad backend offers.
 */
final class Nd4jRuntime {

    /** The ND4J version this module is built against (for messages). */
    static final String ND4J_VERSION = "1.0.0-M2.1";
    static final String JAVACPP_VERSION = "1.5.7";
    static final String OPENBLAS_VERSION = "0.3.19-1.5.7";
    static final String CUDA_ARTIFACT = "org.nd4j:nd4j-cuda-11.6";

    private static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    /**
     * Returns the outcome of loading ND4J.
     *
     * @param loaded  whether ND4J runs here
     * @param cuda    whether the loaded ND4J backend is the CUDA one
     * @param devices the devices it offers (empty when not loaded)
     * @param failure empty when loaded; otherwise what failed and which artifact to add
     */
    record State(boolean loaded, boolean cuda, List<Device> devices, String failure) {
    }

    private static volatile State state;

    private Nd4jRuntime() {
    }

    /** Returns the state, loading ND4J on the first call; never throws. */
    static State state() {
        State s = state;
        if (s == null) {
            synchronized (Nd4jRuntime.class) {
                s = state;
                if (s == null) {
                    s = load();
                    state = s;
                }
            }
        }
        return s;
    }

    private static State load() {
        Nd4jQuietStartup.apply();
        try {
            INDArray probe = Nd4j.create(new float[] {1f, 2f}, new long[] {2}, DataType.FLOAT);
            double sum = probe.sumNumber().doubleValue();
            probe.close();
            if (sum != 3.0) {
                return new State(false, false, List.of(), "ND4J " + ND4J_VERSION
                        + " loaded but computed 1 + 2 = " + sum + "; the native library is broken");
            }
            tune();
            boolean cuda = Nd4j.getBackend().getClass().getName().equals(CUDA_BACKEND);
            List<Device> devices = new ArrayList<>();
            if (cuda) {
                int n = Nd4j.getAffinityManager().getNumberOfDevices();
                for (int i = 0; i < n; i++) {
                    devices.add(Device.cuda(i));
                }
            } else {
                devices.add(Device.CPU);
            }
            return new State(true, cuda, List.copyOf(devices), "");
        } catch (Throwable t) {
            return new State(false, false, List.of(), diagnose(t));
        }
    }

    /** Switches off ND4J's per-op debugging aids, which cost time on every op. */
    private static void tune() {
        OpExecutioner ex = Nd4j.getExecutioner();
        // ND4J's default (SCOPE_PANIC) checks the workspace of every op argument
        ex.setProfilingConfig(ProfilerConfig.builder()
                .checkWorkspaces(false).checkForNAN(false).checkForINF(false)
                .stackTrace(false).checkElapsedTime(false).nativeStatistics(false)
                .notOptimalArguments(false).notOptimalTAD(false).checkLocality(false)
                .build());
        ex.enableDebugMode(false);
        ex.enableVerboseMode(false);
        Nd4j.getEnvironment().setDebug(false);
        Nd4j.getEnvironment().setVerbose(false);
        Nd4j.getEnvironment().setProfiling(false);
    }

    /** Returns a message naming what is missing, judged from the classpath, plus the root cause. */
    static String diagnose(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = " (cause: " + root.getClass().getName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())) + ")";
        ClassLoader cl = Nd4jRuntime.class.getClassLoader();
        if (!hasClass(cl, "org.bytedeco.javacpp.Loader")) {
            return "org.bytedeco:javacpp:" + JAVACPP_VERSION + " is not on the classpath" + cause;
        }
        if (!hasClass(cl, "org.nd4j.linalg.factory.Nd4j")) {
            return "org.nd4j:nd4j-api:" + ND4J_VERSION + " is not on the classpath; add org.nd4j:nd4j-native:"
                    + ND4J_VERSION + cause;
        }
        boolean cpu = hasClass(cl, CPU_BACKEND);
        boolean gpu = hasClass(cl, CUDA_BACKEND);
        if (!cpu && !gpu) {
            return "no ND4J backend is on the classpath; add org.nd4j:nd4j-native:" + ND4J_VERSION
                    + " (CPU) or " + CUDA_ARTIFACT + ":" + ND4J_VERSION + " (CUDA)" + cause;
        }
        String platform = platform();
        if (!hasResource(cl, "org/bytedeco/javacpp/" + platform + "/" + System.mapLibraryName("jnijavacpp"))) {
            return "the JavaCPP native library for " + platform + " is missing; add org.bytedeco:javacpp:"
                    + JAVACPP_VERSION + ":" + platform + " (classifier " + platform + ")" + cause;
        }
        if (cpu && !gpu) {
            boolean nd4jNative = false;
            for (String ext : new String[] {"", "-avx2", "-avx512", "-onednn", "-onednn-avx2", "-onednn-avx512", "-compat"}) {
                nd4jNative |= hasResource(cl, "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + ext + "/"
                        + System.mapLibraryName("jnind4jcpu"));
            }
            if (!nd4jNative) {
                return "the nd4j-native library for " + platform + " is missing; add org.nd4j:nd4j-native:"
                        + ND4J_VERSION + ":" + platform + " (classifier " + platform
                        + "; set -Djavacpp.platform when building for another platform)" + cause;
            }
            if (!hasResource(cl, "org/bytedeco/openblas/" + platform + "/" + System.mapLibraryName("jniopenblas_nolapack"))) {
                return "the OpenBLAS native library for " + platform + " is missing; add org.bytedeco:openblas:"
                        + OPENBLAS_VERSION + ":" + platform + " (classifier " + platform + ")" + cause;
            }
        }
        if (gpu) {
            return "ND4J's CUDA backend could not start: it needs an NVIDIA GPU with a driver for CUDA 11.6, "
                    + CUDA_ARTIFACT + ":" + ND4J_VERSION + ":" + platform + " and org.bytedeco:cuda:11.6-8.3-1.5.7:"
                    + platform + "-redist (or a CUDA 11.6 + cuDNN 8.3 installation)" + cause;
        }
        return "ND4J " + ND4J_VERSION + " failed to load on " + platform + cause;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Returns JavaCPP's platform name, e.g. {@code linux-x86_64}, without loading natives. */
    static String platform() {
        String p = System.getProperty("org.bytedeco.javacpp.platform");
        if (p != null && !p.isEmpty()) {
            return p;
        }
        try {
            return org.bytedeco.javacpp.Loader.getPlatform();
        } catch (Throwable t) {
            String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            String o = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macosx" : "linux";
            String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                    : arch.equals("aarch64") ? "arm64" : arch;
            return o + "-" + a;
        }
    }

    private static boolean hasClass(ClassLoader cl, String name) {
        try {
            Class.forName(name, false, cl);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean hasResource(ClassLoader cl, String path) {
        return cl.getResource(path) != null;
    }

    /** Returns library versions read from the jars' Maven metadata, without loading natives. */
    static String versions() {
        ClassLoader cl = Nd4jRuntime.class.getClassLoader();
        StringBuilder sb = new StringBuilder();
        sb.append("nd4j ").append(mavenVersion(cl, "org.nd4j", "nd4j-api", ND4J_VERSION));
        if (hasClass(cl, CUDA_BACKEND)) {
            sb.append(" (cuda 11.6)");
        } else {
            sb.append(" (native CPU, openblas ").append(mavenVersion(cl, "org.bytedeco", "openblas", "?")).append(')');
        }
        sb.append(", javacpp ").append(mavenVersion(cl, "org.bytedeco", "javacpp", "?"));
        sb.append(", platform ").append(platform());
        return sb.toString();
    }

    private static String mavenVersion(ClassLoader cl, String group, String artifact, String fallback) {
        String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = cl.getResourceAsStream(path)) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", fallback);
        } catch (Exception e) {
            return fallback;
        }
    }
}
