package dev.converge.sim.exhaustive;

import dev.converge.core.ConvergeException;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Exhaustive small-scope check of the sync protocol: every interleaving of message deliveries, with
 * duplicates, between 2 or 3 replicas that each make a few local changes.
 *
 * <p>The state space: each replica's document, one {@link SyncState} per ordered pair of replicas,
 * the messages in flight on each link, how many local changes each replica still has to make, and
 * how many duplicates it received. A transition delivers one message in flight (the oldest of its
 * link, or any message at all with {@link Scope#reorder()}), delivers a copy of one while keeping
 * it in flight (a duplicate, up to {@link Scope#duplicatesMax()} per receiving replica), or lets a
 * replica make its next local change (when {@link Scope#editsDuringSync()}). The receiver answers
 * as the simulator's replicas do: it calls {@link Sync#generateMessage} for every peer when its
 * document changed, else for the sender. A state is terminal when nothing is in flight and no local
 * change is left; in every terminal state all replicas must have the same heads, value and
 * canonical save.
 *
 * <p>Reduction. Every transition reads and changes one replica only (a delivery its receiver:
 * document, sync state towards the sender, duplicate budget, and the tails of its outgoing links; a
 * local change its editor), and a link has one writer and one reader, so transitions of different
 * replicas commute and none disables another. What makes interleavings differ is only the order in
 * which each replica takes messages from its different incoming links (and where its local changes
 * fall between them). The reduced search makes that order an explicit choice: a replica may also
 * <em>wait</em> for its next message from one link that is empty now, after which it takes that
 * link's next message (or a duplicate of it) and nothing else. In this extended system the choices
 * a replica has never depend on what the others do: a waiting replica has the one link it waits on,
 * and a free one every link (taking or waiting) and its next local change. So the enabled
 * transitions of any one replica form a persistent set, and exploring only those of one replica per
 * state (the one with the fewest, preferring those that need not wait) reaches every deadlock of
 * the extended system (Godefroid, "Partial-order methods for the verification of concurrent
 * systems", theorem 4.3; it holds with memoized states, since each state visited has some
 * persistent set explored in full). One exception keeps the waiting choices few: a free replica
 * with nothing in flight towards it and no local change left is idle, with no transitions at all
 * until a message arrives; it then chooses among everything, so no choice is lost, and while idle
 * it is never the replica whose set is explored. Every run of the real system is a run of the
 * extended one that waits just before each delivery, so every terminal state of the real system is
 * reached, as a deadlock in which nothing is in flight and every local change is made. A deadlock
 * with messages still in flight (a replica waits on a link that stays empty) is no terminal state
 * of the real system and is skipped: the orders in which that replica takes its other messages are
 * explored from the state where it chose to wait. Reordering is not reduced this way (a new message
 * would give the receiver a new choice), so scopes with {@link Scope#reorder()} take every
 * interleaving. The tests check that both searches reach the same terminal states on every scope
 * small enough for the full one, the three-replica mesh with and without a duplicate included.
 *
 * <p>Covering. The reduced search also skips a state when it visited one that differs from it only
 * in having received fewer duplicates at some replicas (and no more at any): the visited one covers
 * it. The count of duplicates a replica received is read by no transition except to allow one more
 * while it is under the budget, so every path of the extended system from the covered state is a
 * path from the covering one, step for step, with the same outcome except for the counts, and it
 * ends in a deadlock with the same documents and sync states (nothing is in flight in a terminal
 * state, so no duplicate is left to allow there either). Godefroid's argument still holds, by
 * induction on the length of the shortest path from a state to a terminal deadlock: a visited state
 * has a first step of such a path in the set it explores, leading to a state one step closer that
 * is visited or covered; a covered state is as close as the visited state that covers it. So each
 * terminal state is reached with some counts, and convergence does not read them: terminal states
 * are compared without the counts. This skips, among others, every duplicate that a replica not
 * waiting takes and that changes nothing and sends nothing (the state before it covers the one
 * after), and every state that paths with and without a duplicate both reach. It saves 40% of the
 * states in the three-replica line with duplicates; the full search, kept as the reference, does
 * not cover.
 *
 * <p>How: depth-first search; each transition is taken on a copy of the state that shares every
 * replica but the acting one, which it replaces. What a replica does is a function of its own state
 * and the message it takes, so each such outcome (the replica's new state and what it sends) is
 * computed once and looked up afterwards: the same replica state meets the same message in many
 * global states. Computing one copies the replica's {@link SyncState#copy() sync states} and forks
 * its document only when the message carries changes; documents with the same content are shared.
 * States are memoized on 128 bits of a SHA-256 of a canonical key: each replica's document heads
 * and queued changes, every observable field of every sync state, its local changes so far, what it
 * waits for, and the messages in flight per link (as a multiset when they may arrive in any order),
 * with each replica's count of duplicates mixed in apart ({@link SeenStates}). The key uses the
 * full sync state, not only {@link SyncState#encode()} (which keeps just the shared heads), so two
 * states merge only when every later step behaves the same. The {@link ExhaustiveMemo} numbers each
 * distinct replica state and message (by their SHA-256) the first time it appears, so the key
 * hashes a few numbers, and the outcome of a step is found by them. Terminal states compare on the
 * replicas' digests without the waiting and the counts, which both searches agree on. The set of
 * visited keys takes 16 to 32 bytes per state ({@link StateKeySet}); the memo stays small (some
 * 10,000 outcomes where the state space has tens of millions of states).
 *
 * <p>Scopes too big for the tests run from {@link #main}: {@code java -cp ...
 * dev.converge.sim.exhaustive.ExhaustiveSync 3 1 1 mesh} (replicas, changes each, duplicates per
 * replica, {@code mesh} or {@code line}, optionally {@code edits}, {@code duplinks=K} and {@code
 * full} or {@code compare}).
 */
public final class ExhaustiveSync {
  /**
   * The scope of one exploration.
   *
   * @param replicas 2 or 3
   * @param changesPerReplica local changes each replica makes, 1 to 3
   * @param duplicatesMax how many duplicate deliveries each replica may receive on one path
   * @param editsDuringSync whether local changes interleave with deliveries (else all are made
   *     before the first message)
   * @param reorder whether any message in flight may arrive next (else only the oldest of each
   *     link, as the ordered transport the protocol requires delivers them; a duplicate then
   *     arrives again before anything newer on its link)
   * @param line whether replicas sync only with their neighbours in a line (0–1–2, so 1 relays
   *     between 0 and 2) rather than every pair
   * @param depthMax a path of more deliveries and local changes than this counts as a livelock
   * @param duplicateLinks how many links may carry duplicates, counted in the order of their
   *     receiver and then their sender (1>0, 2>0, 0>1, 2>1, 0>2, 1>2 in the mesh); every link when
   *     it is at least the number of links (the shorter constructor gives the square of {@code
   *     replicas}). Smaller scopes with three replicas in a mesh keep duplicates to the links into
   *     replica 0, or to one link
   */
  public record Scope(
      int replicas,
      int changesPerReplica,
      int duplicatesMax,
      boolean editsDuringSync,
      boolean reorder,
      boolean line,
      int depthMax,
      int duplicateLinks) {
    public Scope {
      if (replicas < 2 || replicas > 3) {
        throw new IllegalArgumentException("replicas must be 2 or 3, not " + replicas);
      }
      if (changesPerReplica < 1 || changesPerReplica > 3) {
        throw new IllegalArgumentException(
            "changesPerReplica must be 1 to 3, not " + changesPerReplica);
      }
      if (duplicatesMax < 0 || depthMax < 1) {
        throw new IllegalArgumentException(
            "duplicatesMax " + duplicatesMax + " and depthMax " + depthMax + " are out of range");
      }
      if (duplicateLinks < 0) {
        throw new IllegalArgumentException("duplicateLinks must not be negative");
      }
    }

    /** A scope in which every link may carry duplicates. */
    public Scope(
        int replicas,
        int changesPerReplica,
        int duplicatesMax,
        boolean editsDuringSync,
        boolean reorder,
        boolean line,
        int depthMax) {
      this(
          replicas,
          changesPerReplica,
          duplicatesMax,
          editsDuringSync,
          reorder,
          line,
          depthMax,
          replicas * replicas);
    }

    /** Whether replicas {@code from} and {@code to} sync with each other. */
    public boolean linked(int from, int to) {
      return from != to && (!line || Math.abs(from - to) == 1);
    }

    /** Whether the link from {@code from} to {@code to} may carry duplicates. */
    public boolean duplicates(int from, int to) {
      int rank = 0;
      for (int receiver = 0; receiver < replicas; receiver++) {
        for (int sender = 0; sender < replicas; sender++) {
          if (linked(sender, receiver)) {
            if (sender == from && receiver == to) {
              return rank < duplicateLinks;
            }
            rank++;
          }
        }
      }
      return false;
    }

    /** How many duplicates {@code replica} may receive on one path. */
    public int duplicatesMaxOf(int replica) {
      for (int from = 0; from < replicas; from++) {
        if (duplicates(from, replica)) {
          return duplicatesMax;
        }
      }
      return 0;
    }
  }

  /**
   * What an exploration found.
   *
   * @param states distinct states explored
   * @param terminalStates distinct terminal states, each checked for convergence
   * @param transitions transitions taken (including those into states already seen)
   * @param depthReached the most deliveries and local changes on one path
   * @param failure the first failing path, empty if every terminal state converged
   * @param terminalKeys the state keys of the terminal states, hex, sorted
   */
  public record Report(
      long states,
      long terminalStates,
      long transitions,
      int depthReached,
      Optional<String> failure,
      SortedSet<String> terminalKeys) {
    public Report {
      terminalKeys = Collections.unmodifiableSortedSet(new TreeSet<>(terminalKeys));
    }

    public boolean passed() {
      return failure.isEmpty();
    }

    @Override
    public String toString() {
      return "Report[states="
          + states
          + ", terminalStates="
          + terminalStates
          + ", transitions="
          + transitions
          + ", depthReached="
          + depthReached
          + ", failure="
          + failure.orElse("none")
          + "]";
    }
  }

  private final Scope scope;
  private final boolean reduce;
  private final SeenStates seen;
  private final ExhaustiveMemo memo = new ExhaustiveMemo();
  private long progressEvery;
  private long startNanos;
  private long terminalStates;
  private long transitions;
  private int depthReached;
  private Optional<String> failure = Optional.empty();
  private final TreeSet<String> terminalKeys = new TreeSet<>();

  /**
   * A search of {@code scope}; {@code expectedStates}, when positive, sizes a {@link
   * CompactStateKeySet} for that many states up front (8 bytes a slot, at least two slots a state)
   * instead of a growing {@link StateKeySet} (16 to 32 bytes a state).
   */
  private ExhaustiveSync(Scope scope, boolean reduce, long expectedStates) {
    this.scope = scope;
    this.reduce = reduce && !scope.reorder();
    int[] budgets = new int[scope.replicas()];
    for (int r = 0; r < budgets.length; r++) {
      budgets[r] = scope.duplicatesMaxOf(r);
    }
    seen =
        new SeenStates(
            budgets,
            expectedStates > 0 ? new CompactStateKeySet(expectedStates) : new StateKeySet());
  }

  /** Explores every state of {@code scope} the reduced search needs; stops at the first failure. */
  public static Report explore(Scope scope) {
    return explore(scope, true);
  }

  /**
   * As {@link #explore(Scope)}; {@code reduce} false takes every interleaving instead, to check the
   * reduction against (feasible only for small scopes).
   */
  static Report explore(Scope scope, boolean reduce) {
    return new ExhaustiveSync(scope, reduce, 0).run();
  }

  private Report run() {
    ExhaustiveWorld initial;
    try {
      initial = ExhaustiveWorld.initial(scope, memo);
    } catch (ConvergeException e) {
      return new Report(
          0, 0, 0, 0, Optional.of("a replica rejected a first message: " + e), new TreeSet<>());
    }
    startNanos = System.nanoTime();
    visit(initial, 0, new ArrayList<>());
    return new Report(
        seen.size(), terminalStates, transitions, depthReached, failure, terminalKeys);
  }

  /**
   * Runs one scope and prints its report and time: {@code replicas changes duplicates mesh|line
   * [edits] [duplinks=K] [states=N] [full|compare]}. {@code full} takes every interleaving instead
   * of the reduced search; {@code compare} runs both and checks that they reach the same terminal
   * states; {@code states=N} sizes a compact visited-state table for about N states up front (8
   * bytes a slot, 2N to 4N slots), for scopes too big for the growing one. Progress goes to
   * standard error every ten million states.
   */
  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: ExhaustiveSync REPLICAS CHANGES DUPLICATES mesh|line [edits] [duplinks=K]"
              + " [states=N] [full|compare]");
      System.exit(2);
    }
    Set<String> flags = new HashSet<>(Arrays.asList(args).subList(4, args.length));
    int replicas = Integer.parseInt(args[0]);
    int duplicateLinks = replicas * replicas;
    long expectedStates = 0;
    for (String flag : flags) {
      if (flag.startsWith("duplinks=")) {
        duplicateLinks = Integer.parseInt(flag.substring("duplinks=".length()));
      } else if (flag.startsWith("states=")) {
        expectedStates = Long.parseLong(flag.substring("states=".length()));
      }
    }
    Scope scope =
        new Scope(
            replicas,
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            flags.contains("edits"),
            false,
            args[3].equals("line"),
            200,
            duplicateLinks);
    boolean passed = true;
    List<Report> reports = new ArrayList<>();
    for (boolean reduce : new boolean[] {false, true}) {
      if (reduce ? flags.contains("full") : !flags.contains("full") && !flags.contains("compare")) {
        continue;
      }
      long start = System.nanoTime();
      ExhaustiveSync search = new ExhaustiveSync(scope, reduce, expectedStates);
      search.progressEvery = 10_000_000;
      Report report = search.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(
          scope
              + (reduce ? " reduced search: " : " full search: ")
              + report
              + String.format(
                  Locale.ROOT,
                  " in %.1f s, %,d replica outcomes remembered",
                  seconds,
                  search.memo.outcomeCount()));
      passed &= report.passed();
      reports.add(report);
    }
    if (reports.size() == 2) {
      boolean same = reports.get(0).terminalKeys().equals(reports.get(1).terminalKeys());
      System.out.println(
          same
              ? "both searches reached the same terminal states"
              : "the searches reached different terminal states");
      passed &= same;
    }
    System.exit(passed ? 0 : 1);
  }

  private void visit(ExhaustiveWorld world, int depth, List<ExhaustiveStep> path) {
    if (failure.isPresent()) {
      return;
    }
    int[] counts = new int[scope.replicas()];
    for (int r = 0; r < counts.length; r++) {
      counts[r] = world.duplicatesReceived(r);
    }
    if (!seen.visit(world.key(), counts, reduce)) {
      return;
    }
    if (progressEvery > 0 && seen.size() % progressEvery == 0) {
      System.err.printf(
          Locale.ROOT,
          "%,d states, %,d terminal, %,d replica outcomes remembered, %.1f s%n",
          seen.size(),
          terminalStates,
          memo.outcomeCount(),
          (System.nanoTime() - startNanos) / 1e9);
    }
    depthReached = Math.max(depthReached, depth);
    List<ExhaustiveStep> steps = reduce ? world.reducedSteps() : world.allSteps();
    if (steps.isEmpty()) {
      // The reduced search reaches one terminal state once per way its replicas wait at the end.
      if (world.isTerminal() && terminalKeys.add(HexFormat.of().formatHex(world.terminalKey()))) {
        terminalStates++;
        world
            .checkConverged()
            .ifPresent(problem -> failure = Optional.of(problem + "; path " + path));
      }
      return;
    }
    if (depth >= scope.depthMax()) {
      failure = Optional.of("no end after " + depth + " steps (livelock); path " + path);
      return;
    }
    for (ExhaustiveStep step : steps) {
      transitions++;
      path.add(step);
      ExhaustiveWorld next = world.copy();
      try {
        next.apply(step, memo);
        visit(next, step.kind() == StepKind.WAIT ? depth : depth + 1, path);
      } catch (ConvergeException e) {
        failure = Optional.of("a replica rejected a message: " + e + "; path " + path);
      }
      path.remove(path.size() - 1);
      if (failure.isPresent()) {
        return;
      }
    }
  }
}
