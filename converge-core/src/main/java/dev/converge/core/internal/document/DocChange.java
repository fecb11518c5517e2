package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One row of a document's change columns: a change's metadata without its ops.
 *
 * @param actor the author
 * @param maxOp the counter of the change's last op ({@code startOp - 1} if it has none)
 * @param message empty for none
 * @param depRows the rows of the changes this one depends on, in the order of their hashes
 * @param extraBytes bytes the change carried after its op columns
 */
public record DocChange(
    ActorId actor,
    long seq,
    long maxOp,
    long time,
    Optional<String> message,
    List<Integer> depRows,
    ExtraBytes extraBytes) {

  public DocChange {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(message, "message");
    depRows = List.copyOf(depRows);
    Objects.requireNonNull(extraBytes, "extraBytes");
  }

  /** Immutable bytes with content equality. */
  public static final class ExtraBytes {
    public static final ExtraBytes NONE = new ExtraBytes(new byte[0]);

    private final byte[] bytes;

    private ExtraBytes(byte[] bytes) {
      this.bytes = bytes;
    }

    public static ExtraBytes of(byte[] bytes) {
      return bytes.length == 0 ? NONE : new ExtraBytes(bytes.clone());
    }

    /** A copy of the bytes; an empty array when there are none. */
    public byte[] toBytes() {
      return bytes.length == 0 ? bytes : bytes.clone();
    }

    public int length() {
      return bytes.length;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ExtraBytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "ExtraBytes[" + bytes.length + "]";
    }
  }
}
