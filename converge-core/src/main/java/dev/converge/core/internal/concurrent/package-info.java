/**
 * Concurrency helpers of the engine: {@link dev.converge.core.internal.concurrent.SideTask} runs
 * one half of a large step (loading a document) on another core while the caller does the other
 * half.
 */
package dev.converge.core.internal.concurrent;
