package dev.converge.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Ties the engine to the proven model ({@code proofs/}): random concurrent histories of 3 to 5
 * actors over maps, lists, text, counters and nested objects, applied to the engine in random
 * causal orders and to the model's transcription, must show the same values and conflicts.
 *
 * <p>How: each try is one seed; {@link DifferentialCheck} draws every choice from it, so the seed
 * jqwik reports replays a failure exactly ({@code DifferentialCheck.mismatch(seed)}). {@link
 * ListOrderMutantTest} shows that this check catches a wrong list order.
 */
class ModelDifferentialPropertiesTest {

  @Property(tries = 1000)
  void randomConcurrentHistory_engineShowsWhatTheModelShows(@ForAll long seed) {
    assertEquals(Optional.empty(), DifferentialCheck.mismatch(seed));
  }
}
