/**
 * Remote-heads gossip, not exported: the server forwards the heads one peer reaches to the peers
 * that subscribed to them ({@link dev.converge.net.gossip.RemoteHeadsGossip}), and the client keeps
 * its subscriptions and the last heads it heard ({@link
 * dev.converge.net.gossip.RemoteHeadsSubscriptions}).
 */
@NullMarked
package dev.converge.net.gossip;

import org.jspecify.annotations.NullMarked;
