/**
 * Data files the CLI reads: {@link io.polygrad.cli.data.CsvData} loads {@code x,y} CSV files into
 * {@link io.polygrad.cli.data.XyData}, failing with {@link io.polygrad.cli.data.CsvFormatException}
 * that names the line and its text.
 */
package io.polygrad.cli.data;
