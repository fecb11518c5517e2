/**
 * Benchmarks of the embedded database ({@code converge-repo}): durable appends with group commit,
 * opening a large repository, and a query over the {@code documents} view. {@link
 * dev.converge.bench.repo.RepoBench} is the entry point.
 */
@NullMarked
package dev.converge.bench.repo;

import org.jspecify.annotations.NullMarked;
