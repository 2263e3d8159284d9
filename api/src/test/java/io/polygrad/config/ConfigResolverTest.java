package io.polygrad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigResolverTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    @DisplayName("with nothing configured the backend is scratch on the cpu in float32")
    void resolve_nothingConfigured_defaults() {
        PolygradConfig c = new ConfigResolver(props(), Map.of(), props()).resolve();
        assertEquals(PolygradConfig.defaults(), c);
    }

    @Test
    @DisplayName("polygrad.properties on the classpath outranks the default")
    void resolve_propertiesFile_outranksDefault() {
        ConfigResolver r = new ConfigResolver(props(), Map.of(),
                props("polygrad.backend", "nd4j", "polygrad.dtype", "f64", "polygrad.device", "cuda:1"));
        PolygradConfig c = r.resolve();
        assertEquals("nd4j", c.backend());
        assertEquals(DType.FLOAT64, c.dtype());
        assertEquals(Device.cuda(1), c.device());
        assertEquals("polygrad.properties", r.sourceOf("backend"));
    }

    @Test
    @DisplayName("the environment variable outranks polygrad.properties")
    void resolve_environment_outranksPropertiesFile() {
        ConfigResolver r = new ConfigResolver(props(), Map.of("POLYGRAD_BACKEND", "djl"),
                props("polygrad.backend", "nd4j"));
        assertEquals("djl", r.resolve().backend());
        assertEquals("environment variable POLYGRAD_BACKEND", r.sourceOf("backend"));
    }

    @Test
    @DisplayName("the system property outranks the environment variable")
    void resolve_systemProperty_outranksEnvironment() {
        ConfigResolver r = new ConfigResolver(props("polygrad.backend", "scratch", "polygrad.seed", "7"),
                Map.of("POLYGRAD_BACKEND", "djl"), props("polygrad.backend", "nd4j"));
        assertEquals("scratch", r.resolve().backend());
        assertEquals(7L, r.resolve().seed());
        assertEquals("system property polygrad.backend", r.sourceOf("backend"));
    }

    @Test
    @DisplayName("a bad dtype, device or seed is rejected with the accepted spellings")
    void resolve_badValues_failNamingTheOption() {
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> new ConfigResolver(props("polygrad.dtype", "int8"), Map.of(), props()).resolve());
        assertTrue(d.getMessage().contains("int8") && d.getMessage().contains("float32"), d.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> new ConfigResolver(props("polygrad.device", "tpu"), Map.of(), props()).resolve());
        assertTrue(v.getMessage().contains("tpu") && v.getMessage().contains("cuda:N"), v.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> new ConfigResolver(props("polygrad.seed", "abc"), Map.of(), props()).resolve());
        assertTrue(s.getMessage().contains("polygrad.seed"), s.getMessage());
    }

    @Test
    @DisplayName("polygrad.threads takes a positive count or auto, and defaults to the available processors")
    void resolve_threads_countOrAutoOrDefault() {
        assertEquals(PolygradConfig.defaultThreads(), new ConfigResolver(props(), Map.of(), props()).resolve().threads());
        assertEquals(1, new ConfigResolver(props("polygrad.threads", "1"), Map.of(), props()).resolve().threads());
        assertEquals(3, new ConfigResolver(props(), Map.of("POLYGRAD_THREADS", " 3 "), props()).resolve().threads());
        assertEquals(Runtime.getRuntime().availableProcessors(),
                new ConfigResolver(props(), Map.of(), props("polygrad.threads", "AUTO")).resolve().threads());
    }

    @Test
    @DisplayName("a thread count that is not a positive integer fails naming the key and its source")
    void resolve_badThreads_failNamingTheKeyAndSource() {
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ConfigResolver(props("polygrad.threads", bad), Map.of(), props()).resolve());
            assertTrue(e.getMessage().contains("polygrad.threads '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("system property polygrad.threads"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PolygradConfig.defaults().withThreads(0));
    }
}
