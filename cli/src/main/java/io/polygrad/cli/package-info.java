/**
 * The {@code polygrad} command: {@link io.polygrad.cli.PolygradCli} and its subcommands
 * {@link io.polygrad.cli.FitCommand}, {@link io.polygrad.cli.CompareCommand},
 * {@link io.polygrad.cli.ConformanceCommand} and {@link io.polygrad.cli.BackendsCommand}.
 */
package io.polygrad.cli;
