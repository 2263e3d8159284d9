/**
 * Files the CLI writes: {@link io.polygrad.cli.output.OutputFile} checks a path before any work and
 * writes through a temporary file, so no half-written plot is ever left behind.
 */
package io.polygrad.cli.output;
