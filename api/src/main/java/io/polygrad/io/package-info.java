/**
 * Saving and loading parameters: {@link io.polygrad.io.SafeTensors} reads and writes the safetensors
 * format (F32 and F64), validating a file completely before touching a model, and reports problems as
 * {@link io.polygrad.io.SafeTensorsException}.
 */
package io.polygrad.io;
