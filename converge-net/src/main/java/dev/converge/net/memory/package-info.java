/** An in-memory transport for tests. */
@NullMarked
package dev.converge.net.memory;

import org.jspecify.annotations.NullMarked;
