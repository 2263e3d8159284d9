/**
 * Training runs for the CLI, built on the problems of {@code polygrad-problems} and the fit loop of
 * {@code polygrad-api}:
 * {@link io.polygrad.cli.run.FitRun} applies command-line overrides ({@link io.polygrad.cli.run.RunSpec})
 * to a problem's classic setting ({@link io.polygrad.cli.run.Plan}), trains through
 * {@link io.polygrad.problems.Problem#fit} and collects a {@link io.polygrad.cli.run.RunResult}.
 */
package io.polygrad.cli.run;
