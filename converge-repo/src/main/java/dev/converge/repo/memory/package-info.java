/** An in-memory {@link dev.converge.repo.spi.Storage} for tests: nothing survives the process. */
@NullMarked
package dev.converge.repo.memory;

import org.jspecify.annotations.NullMarked;
