/**
 * The reusable polygrad conformance suite: specifications every backend must meet, runnable against
 * any {@link io.polygrad.conformance.BackendUnderTest}.
 */
package io.polygrad.conformance;
