package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.train.StopReason;
import java.util.List;

/**
 * What one fit of a {@link ProblemCase} recorded on one backend: the data and initial
 * parameters it started from, the loss and gradients of its first step, and the parameters after
 * every step. {@link ProblemChecks} compares two of them.
 *
 * <p>Parameters are flattened in {@code Module.namedParameters()} order; {@link #elementNames()} says
 * which element is which (e.g. {@code 0.weight[3]}).
 */
public final class Trajectory {

    private final String backend;
    private final ProblemCase problemCase;
    private final DType dtype;
    private final double[] dataX;
    private final double[] dataY;
    private final List<String> elementNames;
    private final double[] initialParameters;
    private final double[] firstGradients;
    private final List<String> anomalies;
    private final double[] losses;
    private final double[][] parameters;
    private final int steps;
    private final StopReason stopReason;

    Trajectory(String backend, ProblemCase problemCase, DType dtype, double[] dataX, double[] dataY,
            List<String> elementNames, double[] initialParameters, double[] firstGradients, List<String> anomalies,
            double[] losses, double[][] parameters, int steps, StopReason stopReason) {
        this.backend = backend;
        this.problemCase = problemCase;
        this.dtype = dtype;
        this.dataX = dataX;
        this.dataY = dataY;
        this.elementNames = List.copyOf(elementNames);
        this.initialParameters = initialParameters;
        this.firstGradients = firstGradients;
        this.anomalies = List.copyOf(anomalies);
        this.losses = losses;
        this.parameters = parameters;
        this.steps = steps;
        this.stopReason = stopReason;
    }

    /** Returns the label of the backend that ran it. */
    public String backend() {
        return backend;
    }

    /** Returns the problem and setting. */
    public ProblemCase problemCase() {
        return problemCase;
    }

    /** Returns the dtype of the run. */
    public DType dtype() {
        return dtype;
    }

    /** Returns e.g. {@code nd4j line/adam float32}, for messages. */
    public String describe() {
        return backend + " " + problemCase.id() + " " + dtype;
    }

    /** Returns the training inputs as the backend holds them. */
    public double[] dataX() {
        return dataX.clone();
    }

    /** Returns the training targets as the backend holds them. */
    public double[] dataY() {
        return dataY.clone();
    }

    /** Returns the name of every flattened parameter element, e.g. {@code w} or {@code 0.weight[3]}. */
    public List<String> elementNames() {
        return elementNames;
    }

    /** Returns the parameters before the first step. */
    public double[] initialParameters() {
        return initialParameters.clone();
    }

    /** Returns the loss of the first step (before its update). */
    public double firstLoss() {
        return losses.length == 0 ? Double.NaN : losses[0];
    }

    /** Returns the gradients of the first step, flattened like the parameters. */
    public double[] firstGradients() {
        return firstGradients.clone();
    }

    /** Returns what was wrong beyond the values (a gradient or parameter of another dtype, a float32 value that is not a float, a missing gradient); empty when nothing was. */
    public List<String> anomalies() {
        return anomalies;
    }

    /** Returns the loss of step {@code i} (0-based), computed before that step's update. */
    public double loss(int i) {
        return losses[i];
    }

    /** Returns the parameters after step {@code i} (0-based). */
    public double[] parametersAfter(int i) {
        return parameters[i].clone();
    }

    /** Returns the parameters after the last step made. */
    public double[] finalParameters() {
        return steps == 0 ? initialParameters() : parametersAfter(steps - 1);
    }

    /** Returns the loss of the last step made. */
    public double finalLoss() {
        return steps == 0 ? Double.NaN : losses[steps - 1];
    }

    /** Returns the number of steps made (fewer than planned when a loss was not finite). */
    public int steps() {
        return steps;
    }

    /** Returns why the fit stopped. */
    public StopReason stopReason() {
        return stopReason;
    }

    /** Returns the value of the parameter element called {@code name} after the last step. */
    public double finalParameter(String name) {
        int i = elementNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(describe() + ": no parameter element " + name + " in " + elementNames);
        }
        return finalParameters()[i];
    }

    // package-private raw access for the checks, without copies
    double[] rawParametersAfter(int i) {
        return parameters[i];
    }
}
