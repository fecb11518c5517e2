package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.net.client.SyncClient;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.SyncReport;
import dev.converge.repo.spi.Forward;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge sync DIR ws://HOST:PORT/ [--token SECRET]}: syncs every document of the
 * repository with a server once, plaintext ones by the automerge-repo protocol and sealed ones
 * through the server's relay, and exits 0 once both sides have the same heads (for a sealed
 * document: the same envelopes and member log, nothing left to seal). Otherwise it goes on with the
 * other documents and exits 1 with one line saying which document was not in sync and why. With
 * {@code --json} it prints {@code {"server":URL,"documents":N,"sealed":K}} instead.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Sync every document of the repository, plaintext and sealed, with a server once.",
      "Exits 0 when both sides have the same heads; prints 'N documents in sync (K sealed)'."
    })
final class SyncCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL", description = "The server, ws://HOST:PORT/")
  String server;

  @Option(
      names = "--token",
      paramLabel = "SECRET",
      description =
          "Bearer token for a server started with --token-file. A server started without one"
              + " accepts every client, and ignores a token given.")
  @Nullable String token;

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() {
    URI uri = webSocketUri(server);
    WebSocketDialerOptions dialerOptions =
        token == null
            ? WebSocketDialerOptions.DEFAULT
            : WebSocketDialerOptions.DEFAULT.withBearerToken(token);
    List<String> problems = new ArrayList<>();
    int sealedCount = 0;
    int total;
    try (WritableRepo writable = WritableRepo.open(dir)) {
      Repo repo = writable.repo();
      Optional<SealedRepo> sealed = SealedRepos.openExisting(repo, dir);
      try (SyncClient client =
          SyncClient.connect(
              new WebSocketDialer(uri, dialerOptions),
              TIMEOUT,
              SealedLimits.DEFAULT,
              new SplittableRandom(),
              PeerMetadata.stored("converge-cli-" + writable.actor().toHex()))) {
        TreeSet<DocumentId> ids = new TreeSet<>();
        ids.addAll(repo.list());
        sealed.ifPresent(s -> ids.addAll(s.documents()));
        total = ids.size();
        for (DocumentId id : ids) {
          if (sealed.isPresent() && sealed.get().isSealed(id)) {
            sealedCount++;
            SyncReport report = sealed.get().sync(id, client.relayChannel());
            report.problem().ifPresent(problem -> problems.add(id + ": " + problem));
          } else {
            SyncClient.Outcome outcome = client.sync(repo.find(id).orElseThrow());
            if (!outcome.inSync() && !followedMove(client, repo, id)) {
              problems.add(id + ": " + outcome.detail());
            }
          }
        }
        // After the documents, so that the server holds each successor when it hears of the link.
        announceCompactions(client, repo, problems);
      } finally {
        sealed.ifPresent(SealedRepo::close);
        repo.flush();
      }
      writable.written();
    }
    if (!problems.isEmpty()) {
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          problems.size()
              + " of "
              + total
              + " documents not in sync with "
              + server
              + "; "
              + problems.get(0));
    }
    if (json.requested) {
      com.fasterxml.jackson.databind.node.ObjectNode line = JsonOutput.object();
      line.put("server", server);
      line.put("documents", total);
      line.put("sealed", sealedCount);
      JsonOutput.print(spec.commandLine().getOut(), line);
      return ExitCodes.OK;
    }
    spec.commandLine()
        .getOut()
        .println(total + " documents in sync (" + sealedCount + " sealed) with " + server);
    return ExitCodes.OK;
  }

  /**
   * A document the server does not serve may have been compacted (elsewhere): if the server says
   * where it moved, records the link, fetches the successor and drops the old copy when that loses
   * nothing ({@link Repo#settleForward}). Returns whether it moved.
   */
  private static boolean followedMove(SyncClient client, Repo repo, DocumentId id) {
    Optional<Forward> moved = client.whereMoved(id);
    if (moved.isEmpty()) {
      return false;
    }
    repo.recordForward(moved.get());
    DocumentId successor = DocumentId.parse(moved.get().successorId());
    SyncClient.Outcome fetched = client.sync(repo.findOrCreate(successor));
    repo.flush();
    if (fetched.inSync()) {
      repo.settleForward(id);
    }
    return fetched.inSync();
  }

  /** Tells the server of every compaction this repository made or moved past. */
  private static void announceCompactions(SyncClient client, Repo repo, List<String> problems) {
    for (Forward forward : repo.forwards()) {
      if (repo.isPurged(DocumentId.parse(forward.documentId()))) {
        try {
          client.announce(forward);
        } catch (ConvergeException e) {
          if (e.kind() != ConvergeException.Kind.INVALID_ARGUMENT) {
            throw e;
          }
          problems.add(forward.documentId() + ": " + e.getMessage());
        }
      }
    }
  }

  /** The server's URL, checked: ws or wss, with a host. */
  static URI webSocketUri(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw notWebSocket(text);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
      throw notWebSocket(text);
    }
    return uri;
  }

  private static ConvergeException notWebSocket(String text) {
    return new ConvergeException(
        ConvergeException.Kind.INVALID_ARGUMENT,
        "not a WebSocket URL: "
            + CliText.quote(text)
            + " (expected ws://HOST:PORT/ or wss://HOST:PORT/)");
  }
}
