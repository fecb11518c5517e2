/** Sync server nodes that share their documents through Apache Kafka. */
@NullMarked
package dev.converge.cluster;

import org.jspecify.annotations.NullMarked;
