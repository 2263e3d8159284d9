/**
 * Backend choice by configuration: {@link io.polygrad.config.PolygradConfig} (backend, device, dtype,
 * seed), {@link io.polygrad.config.ConfigResolver} (system property, environment, properties file,
 * default), {@link io.polygrad.config.BackendRegistry} (ServiceLoader discovery) and
 * {@link io.polygrad.config.PolygradModule} (Guice wiring).
 */
package io.polygrad.config;
