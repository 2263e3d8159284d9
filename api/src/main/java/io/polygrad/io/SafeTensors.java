package io.polygrad.io;

import static io.polygrad.Checks.notNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.nn.Module;
import io.polygrad.spi.Shapes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reader and writer of tensors in the <a href="https://github.com/huggingface/safetensors">
 * safetensors</a> format, the same bytes as the reference implementation writes:
 * <pre>
 * [8 bytes: header length N, unsigned little-endian]
 * [N bytes: JSON {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...},
 *           padded with spaces to a multiple of 8]
 * [data: each tensor's elements, row-major, little-endian, back to back]
 * </pre>
 * Reading takes {@code F64}, {@code F32}, {@code F16} and {@code BF16} (the last two converted to
 * float32, exactly), and {@code I64}, {@code I32}, {@code U32}, {@code I16}, {@code U16}, {@code I8},
 * {@code U8} and {@code BOOL} (converted to int64); {@link #load} converts a floating-point tensor to
 * its parameter's dtype (as PyTorch's {@code load_state_dict} copies), and an integer one to an int64
 * buffer. Writing uses {@code F32}, {@code F64} and {@code I64}. Tensors are written in the reference's order
 * (wider dtype first, then by name), which is also the order of the header's keys.
 *
 * <pre>{@code
 * SafeTensors.save(model, Path.of("model.safetensors"));
 * SafeTensors.load(model, Path.of("model.safetensors"));   // all-or-nothing
 * }</pre>
 *
 * <p>Reading validates the whole file first: its length, the header length (at most 100 MB, as in the
 * reference), the JSON, every dtype, shape and offset (contiguous, non-overlapping, inside the data,
 * matching the shape), and, for {@link #load}, that names, shapes and dtypes match the model exactly.
 * Any failure is a {@link SafeTensorsException} naming the file, the tensor and the problem, and
 * leaves the model untouched.
 */
public final class SafeTensors {

    /** The largest header the reference implementation accepts. */
    public static final long MAX_HEADER_SIZE = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafeTensors() {
    }

    // ================================================================ writing

    /**
     * Writes the module's {@link Module#stateDict()} (parameters and buffers, by PyTorch's names) to
     * {@code file}.
     */
    public static void save(Module module, Path file) throws IOException {
        notNull(module, "SafeTensors.save", "module");
        notNull(file, "SafeTensors.save", "file");
        save(module.stateDict(), Map.of(), file);
    }

    /**
     * Writes {@code tensors} with optional string {@code metadata} (stored as {@code __metadata__}) to
     * {@code file}, atomically: a temporary file in the same folder is moved into place. Missing parent
     * folders are created.
     *
     * @throws SafeTensorsException naming {@code file} if it is a directory or cannot be written (a parent
     *     that is a file, a folder without write permission, a full disk), with the cause
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        notNull(file, "SafeTensors.save", "file");
        byte[] bytes = toBytes(tensors, metadata);
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new SafeTensorsException(file, null, "cannot be written: it is a directory");
        }
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(bytes);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            throw new SafeTensorsException(file, null, "cannot be written: " + ex, ex);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Returns the file's bytes for {@code tensors} and {@code metadata}, as {@link #save} writes them. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        notNull(tensors, "SafeTensors.toBytes", "tensors");
        notNull(metadata, "SafeTensors.toBytes", "metadata");
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : order) {
            notNull(e.getKey(), "SafeTensors.toBytes", "a tensor name");
            notNull(e.getValue(), "SafeTensors.toBytes", "tensor '" + e.getKey() + "'");
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
        }
        // the reference sorts by dtype, wider first, then by name
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().byteSize())
                .thenComparing(Map.Entry::getKey));
        ObjectNode header = JSON.createObjectNode();
        metadata.forEach((k, v) -> {
            notNull(k, "SafeTensors.toBytes", "a metadata key");
            notNull(v, "SafeTensors.toBytes", "metadata '" + k + "'");
        });
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            long length = (long) t.numel() * t.dtype().byteSize();
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", code(t.dtype()));
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write the safetensors header", ex);
        }
        int padded = (json.length + 7) / 8 * 8;
        if (offset + padded + 8 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensors too large for one safetensors file in memory: " + offset
                    + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            if (t.dtype() == DType.INT64) {
                for (long l : t.toLongArray()) {
                    buf.putLong(l);
                }
            } else if (t.dtype() == DType.FLOAT32) {
                for (float f : t.toFloatArray()) {
                    buf.putFloat(f);
                }
            } else {
                for (double d : t.toDoubleArray()) {
                    buf.putDouble(d);
                }
            }
        }
        return buf.array();
    }

    // ================================================================ reading

    /**
     * Returns the tensors of {@code file} as new tensors on {@code engine} (not requiring gradients),
     * in file order.
     *
     * @throws SafeTensorsException if the file is malformed
     */
    public static Map<String, Tensor> read(Path file, Engine engine) throws IOException {
        notNull(file, "SafeTensors.read", "file");
        notNull(engine, "SafeTensors.read", "engine");
        Map<String, Entry> entries = parse(file);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            out.put(e.name, e.toTensor(engine));
        }
        return out;
    }

    /** Returns the {@code __metadata__} strings of {@code file} (empty when it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        notNull(file, "SafeTensors.metadata", "file");
        byte[] bytes = read(file, true);
        JsonNode header = header(file, bytes);
        JsonNode meta = header.get(METADATA);
        Map<String, String> out = new LinkedHashMap<>();
        if (meta != null) {
            checkMetadata(file, meta);
            meta.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /**
     * Copies the tensors of {@code file} into the module's parameters and buffers (its
     * {@link Module#stateDict()}), matched by name. Every name,
     * shape and dtype must match (no missing and no unexpected tensors); everything is checked before
     * the first parameter is written, so on any error the module is unchanged.
     *
     * @throws SafeTensorsException naming the file, the tensor and the problem
     */
    public static void load(Module module, Path file) throws IOException {
        notNull(module, "SafeTensors.load", "module");
        notNull(file, "SafeTensors.load", "file");
        Map<String, Entry> entries = parse(file);
        Map<String, Tensor> params = module.stateDict();
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            String name = p.getKey();
            Tensor param = p.getValue();
            Entry e = entries.get(name);
            if (e == null) {
                throw new SafeTensorsException(file, name, "missing from the file, which holds "
                        + entries.keySet());
            }
            if (!Arrays.equals(e.shape, param.shape())) {
                throw new SafeTensorsException(file, name, "shape " + Shapes.toString(e.shape)
                        + " in the file but " + Shapes.toString(param.shape()) + " in the model");
            }
            if (e.dtype.isFloatingPoint() != param.dtype().isFloatingPoint()) {
                throw new SafeTensorsException(file, name, "dtype " + e.stored + " in the file ("
                        + (e.dtype.isFloatingPoint() ? "floating-point" : "integer") + ") cannot be loaded into "
                        + param.dtype() + " in the model");
            }
        }
        for (String name : entries.keySet()) {
            if (!params.containsKey(name)) {
                throw new SafeTensorsException(file, name, "not a parameter of the model (nor a buffer), whose state dict keys are "
                        + params.keySet());
            }
        }
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            Map<String, Tensor> values = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                values.put(p.getKey(), entries.get(p.getKey()).toTensor(p.getValue().engine()));
            }
            module.loadStateDict(values);
        }
    }

    /** One tensor's header entry, validated, with its bytes. */
    private static final class Entry {
        final String name;
        final DType dtype;
        final Stored stored;
        final int[] shape;
        final long begin;
        final long end;
        final ByteBuffer data;

        Entry(String name, Stored stored, int[] shape, long begin, long end, ByteBuffer data) {
            this.name = name;
            this.stored = stored;
            this.dtype = stored.dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
            this.data = data;
        }

        Tensor toTensor(Engine engine) {
            int n = Shapes.size(shape);
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.position((int) begin);
            Tensor t;
            switch (stored) {
                case I64: {
                    long[] v = new long[n];
                    b.asLongBuffer().get(v);
                    t = engine.tensor(v, n);
                    break;
                }
                case F32: {
                    float[] v = new float[n];
                    b.asFloatBuffer().get(v);
                    t = engine.tensor(v, n);
                    break;
                }
                case F64: {
                    double[] v = new double[n];
                    b.asDoubleBuffer().get(v);
                    t = engine.tensor(v, DType.FLOAT64, n);
                    break;
                }
                case F16:
                case BF16: {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        short bits = b.getShort();
                        v[i] = stored == Stored.F16 ? halfToFloat(bits) : Float.intBitsToFloat(bits << 16);
                    }
                    t = engine.tensor(v, n);
                    break;
                }
                default: {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = stored.readInteger(b);
                    }
                    t = engine.tensor(v, n);
                    break;
                }
            }
            return Arrays.equals(t.shape(), shape) ? t : t.reshape(shape);
        }
    }

    /**
     * Returns the file's first 8 + N bytes ({@code headerOnly}) or all of it, after checking, from the
     * file's size and its first 8 bytes alone, that the header length N is within the limit and inside
     * the file: a truncated file or an absurd length fails before anything else is read.
     */
    private static byte[] read(Path file, boolean headerOnly) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < 8) {
                throw new SafeTensorsException(file, null, "truncated: " + size
                        + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(in, prefix, 0);
            long n = prefix.getLong(0);
            checkHeaderLength(file, n, size - 8);
            long length = headerOnly ? 8 + n : size;
            if (length > Integer.MAX_VALUE - 8) {
                throw new SafeTensorsException(file, null, "is " + size + " bytes, too large to read into one Java"
                        + " array (at most " + (Integer.MAX_VALUE - 8) + " bytes)");
            }
            ByteBuffer all = ByteBuffer.allocate((int) length);
            readFully(in, all, 0);
            return all.array();
        } catch (SafeTensorsException ex) {
            throw ex;
        } catch (IOException ex) {
            throw new SafeTensorsException(file, null, "cannot be read: " + ex, ex);
        } catch (OutOfMemoryError ex) {
            throw new SafeTensorsException(file, null, "is too large to read into memory", ex);
        }
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int got = in.read(buffer, at);
            if (got < 0) {
                throw new IOException("the file ended after " + at + " bytes while reading it");
            }
            at += got;
        }
    }

    /** Rejects a header length {@code n} above the limit or longer than the {@code following} bytes. */
    private static void checkHeaderLength(Path file, long n, long following) throws SafeTensorsException {
        if (n < 0 || n > MAX_HEADER_SIZE) {
            throw new SafeTensorsException(file, null, "header length " + Long.toUnsignedString(n)
                    + " is larger than the limit of " + MAX_HEADER_SIZE + " bytes");
        }
        if (n > following) {
            throw new SafeTensorsException(file, null, "truncated: the header length is " + n + " bytes but only "
                    + following + " bytes follow it");
        }
    }

    private static JsonNode header(Path file, byte[] bytes) throws SafeTensorsException {
        if (bytes.length < 8) {
            throw new SafeTensorsException(file, null, "truncated: " + bytes.length
                    + " bytes, fewer than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(file, n, bytes.length - 8);
        if (n == 0 || bytes[8] != '{') {
            throw new SafeTensorsException(file, null, "invalid header: it must be a JSON object starting with '{'");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException ex) {
            throw new SafeTensorsException(file, null, "invalid header: it is not valid UTF-8", ex);
        }
        JsonNode header;
        try {
            header = JSON.readTree(text);
        } catch (JsonProcessingException ex) {
            throw new SafeTensorsException(file, null, "invalid JSON in the header: " + ex.getOriginalMessage(), ex);
        }
        if (header == null || !header.isObject()) {
            throw new SafeTensorsException(file, null, "invalid header: it must be a JSON object");
        }
        return header;
    }

    private static Map<String, Entry> parse(Path file) throws IOException {
        byte[] bytes = read(file, false);
        JsonNode header = header(file, bytes);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataStart = (int) (8 + n);
        long dataLength = bytes.length - dataStart;
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) dataLength).slice();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : header.properties()) {
            String name = f.getKey();
            JsonNode info = f.getValue();
            if (name.equals(METADATA)) {
                checkMetadata(file, info);
                continue;
            }
            entries.put(name, entry(file, name, info, data));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.<Entry>comparingLong(e -> e.begin).thenComparingLong(e -> e.end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < expected) {
                throw new SafeTensorsException(file, e.name, "data_offsets [" + e.begin + ", " + e.end
                        + "] overlap tensor '" + previous.name + "' at [" + previous.begin + ", " + previous.end + "]");
            }
            if (e.begin > expected) {
                throw new SafeTensorsException(file, e.name, "data_offsets [" + e.begin + ", " + e.end
                        + "] leave a gap: the previous tensor ends at byte " + expected);
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataLength) {
            throw new SafeTensorsException(file, null, "the data section holds " + dataLength
                    + " bytes but the tensors cover " + expected);
        }
        return entries;
    }

    private static Entry entry(Path file, String name, JsonNode info, ByteBuffer data) throws SafeTensorsException {
        if (!info.isObject()) {
            throw new SafeTensorsException(file, name, "header entry must be an object with dtype, shape and "
                    + "data_offsets, got " + info);
        }
        JsonNode dtypeNode = info.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafeTensorsException(file, name, "missing or non-string \"dtype\"");
        }
        Stored stored = stored(file, name, dtypeNode.asText());
        JsonNode shapeNode = info.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafeTensorsException(file, name, "missing or non-array \"shape\"");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, name, "invalid dimension " + d + " in shape " + shapeNode);
            }
            shape[i] = d.intValue();
            count *= shape[i];
            if (count > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, name, "shape " + shapeNode + " has too many elements");
            }
        }
        JsonNode offsets = info.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new SafeTensorsException(file, name, "\"data_offsets\" must be an array [begin, end], got "
                    + offsets);
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsets.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw new SafeTensorsException(file, name, "invalid data_offsets " + offsets
                        + ": offsets must be non-negative integers");
            }
            be[i] = o.asLong();
        }
        if (be[1] < be[0]) {
            throw new SafeTensorsException(file, name, "invalid data_offsets " + offsets + ": end before begin");
        }
        if (be[1] > data.capacity()) {
            throw new SafeTensorsException(file, name, "data_offsets " + offsets
                    + " are out of range: the data section holds only " + data.capacity() + " bytes");
        }
        long expected = count * stored.bytes;
        if (be[1] - be[0] != expected) {
            throw new SafeTensorsException(file, name, "data_offsets " + offsets + " span " + (be[1] - be[0])
                    + " bytes but shape " + Shapes.toString(shape) + " of " + stored + " needs " + expected);
        }
        return new Entry(name, stored, shape, be[0], be[1], data);
    }

    private static void checkMetadata(Path file, JsonNode meta) throws SafeTensorsException {
        if (!meta.isObject()) {
            throw new SafeTensorsException(file, null, METADATA + " must be an object of strings, got " + meta);
        }
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafeTensorsException(file, null, METADATA + " value of '" + e.getKey()
                        + "' must be a string, got " + e.getValue());
            }
        }
    }

    private static Stored stored(Path file, String name, String code) throws SafeTensorsException {
        try {
            return Stored.valueOf(code);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, name, "unsupported dtype \"" + code + "\"; polygrad reads "
                    + Arrays.toString(Stored.values()).replaceAll("[\\[\\]]", ""));
        }
    }

    /** Returns the IEEE half-precision value of {@code h} as a float (exact: every half is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign != 0 ? -subnormal : subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * The safetensors element types polygrad reads, each with its width and the dtype it becomes: the
     * floating types to float32 (F16, BF16, F32, exactly) or float64, the integer types and BOOL to int64
     * (U64 is left out: it does not fit).
     */
    private enum Stored {
        F64(8, DType.FLOAT64), F32(4, DType.FLOAT32), F16(2, DType.FLOAT32), BF16(2, DType.FLOAT32),
        I64(8, DType.INT64), I32(4, DType.INT64), U32(4, DType.INT64), I16(2, DType.INT64), U16(2, DType.INT64),
        I8(1, DType.INT64), U8(1, DType.INT64), BOOL(1, DType.INT64);

        final int bytes;
        final DType dtype;

        Stored(int bytes, DType dtype) {
            this.bytes = bytes;
            this.dtype = dtype;
        }

        /** Reads one little-endian element of an integer or BOOL type from {@code b}. */
        long readInteger(ByteBuffer b) {
            switch (this) {
                case I32: return b.getInt();
                case U32: return Integer.toUnsignedLong(b.getInt());
                case I16: return b.getShort();
                case U16: return Short.toUnsignedInt(b.getShort());
                case I8: return b.get();
                case U8: return Byte.toUnsignedInt(b.get());
                case BOOL: return b.get() != 0 ? 1 : 0;
                default: throw new IllegalStateException(this + " is not an integer type");
            }
        }
    }

    private static String code(DType dtype) {
        return dtype == DType.FLOAT32 ? "F32" : dtype == DType.INT64 ? "I64" : "F64";
    }
}
