/**
 * JMH benchmarks of polygrad: the scratch backend against hand-written Java loops, and each native
 * backend against the raw library it wraps. Build with {@code ./mvnw -pl benchmarks -am package
 * -DskipTests} and run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package io.polygrad.benchmarks;
