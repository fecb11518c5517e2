package dev.converge.sim.exhaustive;

import java.util.List;
import java.util.Optional;

/** What one replica's transition produced: its new state and, per receiver, what it sent. */
record ExhaustiveOutcome(ExhaustivePeer peer, List<Optional<InFlightMessage>> sent) {}
