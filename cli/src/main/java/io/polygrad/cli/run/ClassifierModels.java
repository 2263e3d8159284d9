package io.polygrad.cli.run;

import io.polygrad.Engine;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.Dropout;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import java.util.List;
import java.util.Locale;

/**
 * The classifiers {@code polygrad train} offers for 28×28 grey images with 10 classes, by name.
 *
 * <pre>{@code
 * Module cnn = ClassifierModels.create("cnn", engine);
 * }</pre>
 */
public final class ClassifierModels {

    /** The model names, in the order the help lists them. */
    public static final List<String> NAMES = List.of("mlp", "cnn");

    private ClassifierModels() {
    }

    /** Returns whether {@code name} (any case) is a known model. */
    public static boolean isKnown(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Returns a one-line description of model {@code name}. */
    public static String describe(String name) {
        return "cnn".equals(name)
                ? "cnn conv5x5(32)-relu-maxpool2-conv5x5(64)-relu-maxpool2-fc1024-relu-dropout0.4-fc10"
                : "mlp 784-256-128-10 (ReLU)";
    }

    /**
     * Returns model {@code name} with fresh weights from {@code engine}'s generator: {@code mlp}, the
     * 784-256-128-10 ReLU MLP, or {@code cnn}, two 5×5 convolutions (32 and 64 channels, padding 2) each with
     * ReLU and 2×2 max pooling, then a 3136-1024 ReLU layer, dropout 0.4 and the 10 outputs (the data set's
     * "2 Conv+pooling" benchmark network).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Module create(String name, Engine engine) {
        switch (name) {
            case "mlp":
                return new Sequential(new Flatten(), new Linear(engine, 784, 256), new ReLU(),
                        new Linear(engine, 256, 128), new ReLU(), new Linear(engine, 128, 10));
            case "cnn":
                return new Sequential(new Conv2d(engine, 1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                        new Conv2d(engine, 32, 64, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(),
                        new Linear(engine, 3136, 1024), new ReLU(), new Dropout(0.4), new Linear(engine, 1024, 10));
            default:
                throw new IllegalArgumentException("Unknown model '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }
}
