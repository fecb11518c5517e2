package dev.converge.cli;

import dev.converge.core.ActorId;
import dev.converge.core.ConvergeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The actor the command line writes as in one repository on one device, kept in {@value #FILE_NAME}
 * in the repository's directory, so that {@code converge log} shows one actor with seqs 1, 2, 3
 * rather than a new actor per command (and documents do not collect an actor per edit).
 *
 * <p>Why this is safe: one (actor, seq) pair must never name two different changes. The repository
 * is locked by the process that opened it, so two commands never write at once; a command sends
 * nothing to a peer, so a change lost in a crash was never seen elsewhere; and the file records the
 * device and the directory's real path it was made for, so a copy of the directory on another
 * machine or at another path gets an actor of its own. A directory restored from a backup after its
 * changes were synced elsewhere would reuse seqs: delete {@value #FILE_NAME} after a restore.
 *
 * <p>Format: one line, {@code DEVICE_KEY ACTOR_HEX}, where the key is the first 16 bytes of SHA-256
 * over the machine ID and the real path, in hex.
 */
final class DeviceActor {
  static final String FILE_NAME = "cli-actor";

  private DeviceActor() {}

  /** The actor recorded for this device, or a fresh one recorded by {@link #remember}. */
  static ActorId read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(file)) {
        String key = deviceKey(dir);
        List<String> words =
            List.of(Files.readString(file, StandardCharsets.UTF_8).strip().split(" "));
        if (words.size() == 2 && words.get(0).equals(key) && words.get(1).matches("[0-9a-f]{32}")) {
          return ActorId.fromHex(words.get(1));
        }
      }
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.IO, "cannot read " + file + ": " + CliText.reason(e), e);
    }
    return ActorId.random();
  }

  /** Records {@code actor} for this device, unless it is recorded already. */
  static void remember(Path dir, ActorId actor) {
    Path file = dir.resolve(FILE_NAME);
    String line = deviceKey(dir) + " " + actor.toHex() + "\n";
    try {
      if (Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(line)) {
        return;
      }
      Path written = dir.resolve(FILE_NAME + ".tmp");
      Files.writeString(written, line, StandardCharsets.UTF_8);
      Files.move(
          written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.IO, "cannot write " + file + ": " + CliText.reason(e), e);
    }
  }

  private static String deviceKey(Path dir) {
    String path;
    try {
      path = dir.toRealPath().toString();
    } catch (IOException e) {
      path = dir.toAbsolutePath().normalize().toString();
    }
    String machine = machineId().orElse("no-machine-id");
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((machine + "\n" + path).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Optional<String> machineId() {
    for (String candidate : List.of("/etc/machine-id", "/var/lib/dbus/machine-id")) {
      try {
        String id = Files.readString(Path.of(candidate), StandardCharsets.UTF_8).strip();
        if (!id.isEmpty()) {
          return Optional.of(id);
        }
      } catch (IOException e) {
        // Not this file: try the next; without any, the path alone keys the actor.
        var unused = e;
      }
    }
    return Optional.empty();
  }
}
