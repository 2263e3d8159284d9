package io.polygrad.data;

import io.polygrad.Checks;
import io.polygrad.config.ConfigResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Fashion-MNIST data set (Zalando Research): 60,000 training and 10,000 test images of 28×28
 * grey-scale pixels in 10 clothing classes, read from the four standard IDX files in one directory
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each gzip-compressed ({@code .gz}) or not).
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load();                 // polygrad.data, or Debian's package
 * LabelledImages train = data.train();                     // 60000 images
 * String name = FashionMnist.CLASSES.get(train.label(0));  // "Ankle boot"
 * }</pre>
 *
 * <p>Where the files are found, the first that applies: the directory passed to {@link #load(Path)};
 * the setting {@code polygrad.data} (system property, environment variable {@code POLYGRAD_DATA} or
 * {@code polygrad.properties}, as for the backend), naming the directory itself or a directory with
 * a {@code fashion-mnist} sub-directory; {@value #DEBIAN_DIRECTORY}, where Debian's
 * {@code dataset-fashion-mnist} package installs them. A directory that is named but lacks the
 * files is an error, never a silent fall-back; nothing is downloaded.
 */
public final class FashionMnist {

    /** The class names, indexed by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Where Debian's {@code dataset-fashion-mnist} package installs the four files. */
    public static final String DEBIAN_DIRECTORY = "/usr/share/datasets/fashion-mnist";

    /** The setting naming the data directory: {@code polygrad.data} / {@code POLYGRAD_DATA}. */
    public static final String DATA_SETTING = "data";

    /** The name of the sub-directory looked for under a data root. */
    public static final String SUBDIRECTORY = "fashion-mnist";

    /** The image height and width of Fashion-MNIST. */
    public static final int SIDE = 28;

    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private final Path directory;
    private final LabelledImages train;
    private final LabelledImages test;

    private FashionMnist(Path directory, LabelledImages train, LabelledImages test) {
        this.directory = directory;
        this.train = train;
        this.test = test;
    }

    /**
     * Returns the data set found where this JVM's configuration points (see the class comment).
     *
     * @throws DatasetNotFoundException listing the places looked in and how to get the files
     * @throws IdxFormatException       naming the file when one is corrupt or not what it should be
     */
    public static FashionMnist load() throws IOException {
        return load(locate(new ConfigResolver(System.getProperties(), System.getenv(),
                ConfigResolver.loadClasspathProperties())));
    }

    /**
     * Returns the data set read from the four files in {@code directory}.
     *
     * @throws DatasetNotFoundException if a file is missing, naming it and how to get the files
     * @throws IdxFormatException       naming the file when one is corrupt or not what it should be
     */
    public static FashionMnist load(Path directory) throws IOException {
        Checks.notNull(directory, "FashionMnist.load", "directory");
        List<String> missing = missingFiles(directory);
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException("Fashion-MNIST: " + directory + " lacks " + String.join(", ", missing)
                    + (Files.isDirectory(directory) ? "" : " (the directory does not exist)") + ". " + HOW_TO_GET);
        }
        LabelledImages train = pair(directory, "fashion-mnist/train", FILES[0], FILES[1]);
        LabelledImages test = pair(directory, "fashion-mnist/test", FILES[2], FILES[3]);
        return new FashionMnist(directory, train, test);
    }

    /**
     * Returns the directory holding the four files, resolved from {@code config}'s {@code data}
     * setting, else Debian's location.
     *
     * @throws DatasetNotFoundException listing the places looked in and how to get the files
     */
    public static Path locate(ConfigResolver config) throws DatasetNotFoundException {
        Checks.notNull(config, "FashionMnist.locate", "config");
        List<String> looked = new ArrayList<>();
        Optional<String> configured = config.value(DATA_SETTING);
        List<Path> candidates = new ArrayList<>();
        String origin;
        if (configured.isPresent()) {
            Path root = Path.of(configured.get());
            candidates.add(root);
            candidates.add(root.resolve(SUBDIRECTORY));
            origin = "from " + config.sourceOf(DATA_SETTING);
        } else {
            candidates.add(Path.of(DEBIAN_DIRECTORY));
            origin = "where Debian's dataset-fashion-mnist package installs it";
        }
        for (Path dir : candidates) {
            if (missingFiles(dir).isEmpty()) {
                return dir;
            }
            looked.add(dir + " (" + origin + ")");
        }
        throw new DatasetNotFoundException("Fashion-MNIST was not found; looked in " + String.join(", ", looked)
                + ". " + HOW_TO_GET);
    }

    private static final String HOW_TO_GET = "Install it with 'apt-get install dataset-fashion-mnist' (files in "
            + DEBIAN_DIRECTORY + "), or put the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from the data set's home page "
            + "(github.com/zalandoresearch/fashion-mnist) into a directory and name it with -Dpolygrad.data=DIR "
            + "(or POLYGRAD_DATA, or --data DIR on the command line).";

    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (find(dir, f) == null) {
                missing.add(f + "[.gz]");
            }
        }
        return missing;
    }

    private static Path find(Path dir, String base) {
        for (Path p : new Path[] {dir.resolve(base + ".gz"), dir.resolve(base)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static LabelledImages pair(Path dir, String name, String imagesBase, String labelsBase)
            throws IOException {
        Path imagesFile = find(dir, imagesBase);
        Path labelsFile = find(dir, labelsBase);
        IdxArray images = Idx.read(imagesFile);
        IdxArray labels = Idx.read(labelsFile);
        int[] is = images.shape();
        if (is.length != 3 || is[1] != SIDE || is[2] != SIDE) {
            throw new IdxFormatException(imagesFile, "holds shape " + images + "; Fashion-MNIST images are [count, "
                    + SIDE + ", " + SIDE + "]");
        }
        if (labels.shape().length != 1) {
            throw new IdxFormatException(labelsFile, "holds shape " + labels + "; a label file is 1-dimensional");
        }
        if (labels.count() != images.count()) {
            throw new IdxFormatException(labelsFile, "holds " + labels.count() + " labels but " + imagesFile
                    + " holds " + images.count() + " images");
        }
        byte[] l = labels.bytes();
        for (int i = 0; i < l.length; i++) {
            if ((l[i] & 0xFF) >= CLASSES.size()) {
                throw new IdxFormatException(labelsFile, "label " + i + " is " + (l[i] & 0xFF)
                        + ", outside the " + CLASSES.size() + " classes [0, " + CLASSES.size() + ")");
            }
        }
        return new LabelledImages(name, images.bytes(), l, 0, images.count(), SIDE, SIDE, CLASSES.size());
    }

    /** Returns the directory the files were read from. */
    public Path directory() {
        return directory;
    }

    /** Returns the training set (60,000 images in the full data set). */
    public LabelledImages train() {
        return train;
    }

    /** Returns the test set (10,000 images in the full data set). */
    public LabelledImages test() {
        return test;
    }

    @Override
    public String toString() {
        return "Fashion-MNIST from " + directory + ": " + train.size() + " training and " + test.size()
                + " test images";
    }
}
