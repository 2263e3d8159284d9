package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Tensor;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Functional;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Guards the PyTorch fixtures: they cover every op, both dtypes hold the same cases, deliberate differences are real and listed. */
class PyTorchFixturesTest {

    /** Public methods returning a Tensor that are not ops (accessors, autograd plumbing, creation). */
    private static final Set<String> NOT_OPS = Set.of("requiresGrad", "grad", "retainGrad", "detach", "zerosLike",
            "onesLike", "toEngine");

    /** Fixture op names whose polygrad method has another name. */
    private static final Map<String, String> METHOD_OF = Map.of("bceWithLogits", "binaryCrossEntropyWithLogits",
            "bce", "binaryCrossEntropy");

    /** The op fixture families: {@link PyTorchOpChecks}'s and {@link NormChecks}'s. */
    private static final List<String> FAMILIES = java.util.stream.Stream.concat(PyTorchOpChecks.FAMILIES.stream(),
            java.util.stream.Stream.of(NormChecks.FAMILY)).toList();

    @Test
    @DisplayName("every public op of Tensor, Functional and Losses has PyTorch fixture cases")
    void everyOp_hasFixtures() {
        Set<String> covered = new TreeSet<>();
        for (String family : FAMILIES) {
            for (PyTorchFixture f : PyTorchFixture.load(family, DType.FLOAT64)) {
                String name = f.op().split("-")[0];
                covered.add(METHOD_OF.getOrDefault(name, name));
            }
        }
        Set<String> ops = new TreeSet<>();
        for (Class<?> c : List.of(Tensor.class, Functional.class, Losses.class)) {
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == c && Modifier.isPublic(m.getModifiers())
                        && m.getReturnType() == Tensor.class && !NOT_OPS.contains(m.getName())) {
                    ops.add(m.getName());
                }
            }
        }
        ops.removeAll(covered);
        assertTrue(ops.isEmpty(), "ops without PyTorch fixtures: " + ops);
    }

    @Test
    @DisplayName("float32 and float64 fixtures hold the same cases")
    void bothDTypes_sameCases() {
        for (String family : FAMILIES) {
            assertEquals(ids(family, DType.FLOAT64), ids(family, DType.FLOAT32), family);
        }
    }

    @Test
    @DisplayName("each deliberate difference differs from PyTorch and is listed in docs/PYTORCH-DIFFERENCES.md")
    void deliberateDifferences_realAndDocumented() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "PYTORCH-DIFFERENCES.md"), StandardCharsets.UTF_8);
        int seen = 0;
        for (String family : FAMILIES) {
            for (DType dtype : DType.floatingPoint()) {
                for (PyTorchFixture f : PyTorchFixture.load(family, dtype)) {
                    PyTorchFixture.Deliberate d = f.deliberate();
                    if (d == null) {
                        continue;
                    }
                    seen++;
                    assertTrue(doc.contains("| `" + d.reason() + "` |"), d.reason() + " is not in the table");
                    boolean differs = !sameValues(d.output(), f.output().values());
                    for (int i = 0; i < f.grads().size() && !differs; i++) {
                        differs = f.grads().get(i) != null && !sameValues(d.grads().get(i), f.grads().get(i));
                    }
                    assertTrue(differs, f.id() + " in " + dtype + ": polygrad's values equal PyTorch's; drop the difference");
                }
            }
        }
        assertFalse(seen == 0, "no deliberate differences found");
    }

    private static Set<String> ids(String family, DType dtype) {
        return PyTorchFixture.load(family, dtype).stream().map(PyTorchFixture::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean sameValues(double[] a, double[] b) {
        return Arrays.equals(a, b);
    }
}
