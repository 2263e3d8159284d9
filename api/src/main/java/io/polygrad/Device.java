package io.polygrad;

import java.util.Locale;
import java.util.Objects;

/**
 * The place where a backend keeps its arrays: the CPU, or a CUDA GPU with an index.
 *
 * <pre>{@code
 * Device.parse("cuda:1")   // Device[type=CUDA, index=1]
 * }</pre>
 *
 * @param type  CPU or CUDA
 * @param index the GPU ordinal (0 for the CPU)
 */
public record Device(Type type, int index) {

    /** The kind of device. */
    public enum Type { CPU, CUDA }

    /** The host CPU. */
    public static final Device CPU = new Device(Type.CPU, 0);

    /** Creates a device, checking that the index is not negative. */
    public Device {
        Objects.requireNonNull(type, "type");
        if (index < 0) {
            throw new IllegalArgumentException("Device index must be >= 0, got " + index);
        }
    }

    /** Returns CUDA device {@code index}. */
    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /**
     * Returns the device named by {@code text}: {@code cpu}, {@code cuda} or {@code cuda:N}.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("cuda") || t.equals("gpu")) {
            return cuda(0);
        }
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Unknown device '" + text + "': expected cpu, cuda or cuda:N");
    }

    /** Returns {@code cpu}, {@code cuda:0}, … */
    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
