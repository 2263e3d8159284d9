/**
 * Plots of fits, drawn headless with XChart: {@link io.polygrad.cli.plot.FitPlot} puts the data with
 * the fitted curves beside the loss curves, each curve a {@link io.polygrad.cli.plot.Series}.
 */
package io.polygrad.cli.plot;
