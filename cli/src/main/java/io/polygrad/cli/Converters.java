package io.polygrad.cli;

import io.polygrad.DType;
import io.polygrad.Device;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The picocli converters for polygrad's option types, each with a message that names what is accepted. */
final class Converters {

    private Converters() {
    }

    /** A converter of {@code f32}/{@code float32}/{@code f64}/{@code float64} to a {@link DType}. */
    static final class DTypeConverter implements ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            try {
                return DType.parseFloatingPoint(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown dtype '" + value
                        + "'; expected f32 (float32) or f64 (float64)");
            }
        }
    }

    /** A converter of {@code cpu}, {@code cuda}, {@code cuda:N} to a {@link Device}. */
    static final class DeviceConverter implements ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown device '" + value + "'; expected cpu, cuda or cuda:N");
            }
        }
    }

    /** A converter of {@code sgd} or {@code adam}, in any case, to an {@link OptimizerChoice}. */
    static final class OptimizerConverter implements ITypeConverter<OptimizerChoice> {
        @Override
        public OptimizerChoice convert(String value) {
            for (OptimizerChoice c : OptimizerChoice.values()) {
                if (c.toString().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
            throw new TypeConversionException("unknown optimizer '" + value + "'; expected sgd or adam");
        }
    }

    /** A converter of learning rates: finite numbers greater than zero. */
    static final class LearningRateConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double lr;
            try {
                lr = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number; expected a learning rate > 0,"
                        + " e.g. 0.01");
            }
            if (!Double.isFinite(lr) || lr <= 0) {
                throw new TypeConversionException("'" + value + "' is not a learning rate; expected a finite number"
                        + " > 0, e.g. 0.01");
            }
            return lr;
        }
    }

    /** A converter of step counts: whole numbers of at least 1. */
    static final class StepsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int steps;
            try {
                steps = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number; expected steps >= 1");
            }
            if (steps < 1) {
                throw new TypeConversionException("'" + value + "' steps; expected a whole number >= 1");
            }
            return steps;
        }
    }

    /** A converter of seeds: any 64-bit integer. */
    static final class SeedConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value
                        + "' is not a whole number; expected a 64-bit integer seed");
            }
        }
    }

    /** Parses {@code --threads}: a whole number of at least 1. */
    static final class ThreadsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number; expected threads >= 1");
            }
            if (n < 1) {
                throw new TypeConversionException("'" + value + "' is below 1; expected threads >= 1");
            }
            return n;
        }
    }
}
