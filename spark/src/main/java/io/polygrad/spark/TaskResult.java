package io.polygrad.spark;

import io.polygrad.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a barrier task hands back to the driver: its rank and final checksum of parameters and buffers,
 * and from rank 0 the final parameters and buffers, the per-step losses and the timing.
 */
record TaskResult(
        int rank,
        String checksum,
        Tensors parameters,
        Tensors buffers,
        double[] losses,
        int[] epochs,
        double[] lrs,
        long samples,
        long trainingNanos,
        long bytesSentPerExchange,
        int exchanges) implements Serializable {

    /** Named tensors as plain arrays, in order: names, shapes and row-major values as doubles. */
    record Tensors(String[] names, int[][] shapes, double[][] values) implements Serializable {

        /** Returns the values of {@code tensors}, in order. */
        static Tensors of(List<Map.Entry<String, Tensor>> tensors) {
            String[] names = new String[tensors.size()];
            int[][] shapes = new int[tensors.size()][];
            double[][] values = new double[tensors.size()][];
            for (int i = 0; i < names.length; i++) {
                names[i] = tensors.get(i).getKey();
                shapes[i] = tensors.get(i).getValue().shape();
                values[i] = tensors.get(i).getValue().toDoubleArray();
            }
            return new Tensors(names, shapes, values);
        }

        /** Returns the values by name, in order. */
        Map<String, double[]> valueMap() {
            Map<String, double[]> out = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], values[i]);
            }
            return out;
        }

        /** Returns the shapes by name, in order. */
        Map<String, int[]> shapeMap() {
            Map<String, int[]> out = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], shapes[i]);
            }
            return out;
        }
    }
}
