/**
 * A single-node Apache Kafka broker for development and tests ({@link BrokerMain}), and {@link
 * BrokerProcess}, which runs it in a child JVM and waits until it is ready.
 */
@NullMarked
package dev.converge.broker;

import org.jspecify.annotations.NullMarked;
