/**
 * Progress display for long runs: {@link io.polygrad.cli.progress.StepProgress} draws a progress bar
 * when the CLI runs on a terminal and stays silent otherwise.
 */
package io.polygrad.cli.progress;
