package dev.converge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeOffersTest {
  private final SplittableRandom random = new SplittableRandom(18);
  private final DocumentId a = DocumentId.random(random);
  private final DocumentId b = DocumentId.random(random);
  private final DocumentId c = DocumentId.random(random);

  @Test
  void accept_documentMarked_offersIt() throws InterruptedException {
    CountDownLatch offered = new CountDownLatch(1);
    List<DocumentId> seen = new CopyOnWriteArrayList<>();
    try (ChangeOffers offers =
        new ChangeOffers(
            id -> {
              seen.add(id);
              offered.countDown();
            })) {
      offers.accept(a);
      assertTrue(offered.await(30, TimeUnit.SECONDS));
    }
    assertEquals(List.of(a), seen);
  }

  @Test
  void accept_markedAgainBeforeItsOfferRuns_offersOnce() throws InterruptedException {
    CountDownLatch busy = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch cOffered = new CountDownLatch(1);
    List<DocumentId> seen = new CopyOnWriteArrayList<>();
    try (ChangeOffers offers =
        new ChangeOffers(
            id -> {
              seen.add(id);
              if (id.equals(c)) {
                cOffered.countDown();
                return;
              }
              busy.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })) {
      // Both offering threads held by a and b: c's marks all land before its offer starts.
      offers.accept(a);
      offers.accept(b);
      assertTrue(busy.await(30, TimeUnit.SECONDS));
      offers.accept(c);
      offers.accept(c);
      offers.accept(c);
      release.countDown();
      assertTrue(cOffered.await(30, TimeUnit.SECONDS));
      // A mark after the offer started is offered again, so nothing is left unsent.
      offers.accept(c);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.stream().filter(c::equals).count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    assertEquals(2, seen.stream().filter(c::equals).count());
  }
}
