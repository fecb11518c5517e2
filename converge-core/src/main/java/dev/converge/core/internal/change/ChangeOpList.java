package dev.converge.core.internal.change;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeOp;
import dev.converge.core.Key;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A list of {@link ChangeOp}s as {@link EncodableOps}; reads allocate nothing. */
final class ChangeOpList implements EncodableOps {
  private List<ChangeOp> ops = List.of();

  /** Shows {@code ops} from now on; one instance serves one encoder's calls in turn. */
  ChangeOpList of(List<ChangeOp> changeOps) {
    this.ops = changeOps;
    return this;
  }

  @Override
  public int size() {
    return ops.size();
  }

  @Override
  public @Nullable ActorId objActor(int op) {
    Optional<OpId> id = ops.get(op).obj().opId();
    return id.isPresent() ? id.get().actor() : null;
  }

  @Override
  public long objCounter(int op) {
    Optional<OpId> id = ops.get(op).obj().opId();
    return id.isPresent() ? id.get().counter() : 0;
  }

  @Override
  public @Nullable String keyProp(int op) {
    return ops.get(op).key() instanceof Key.Prop prop ? prop.name() : null;
  }

  @Override
  public @Nullable ActorId keyActor(int op) {
    Optional<OpId> element = element(op);
    return element.isPresent() ? element.get().actor() : null;
  }

  @Override
  public long keyCounter(int op) {
    Optional<OpId> element = element(op);
    return element.isPresent() ? element.get().counter() : 0;
  }

  private Optional<OpId> element(int op) {
    return ops.get(op).key() instanceof Key.Elem elem ? elem.elemId().opId() : Optional.empty();
  }

  @Override
  public boolean insert(int op) {
    return ops.get(op).insert();
  }

  @Override
  public Action action(int op) {
    return ops.get(op).action();
  }

  @Override
  public ScalarValue value(int op) {
    return ops.get(op).value();
  }

  @Override
  public int predCount(int op) {
    return ops.get(op).pred().size();
  }

  @Override
  public ActorId predActor(int op, int p) {
    return ops.get(op).pred().get(p).actor();
  }

  @Override
  public long predCounter(int op, int p) {
    return ops.get(op).pred().get(p).counter();
  }

  @Override
  public boolean expand(int op) {
    return ops.get(op).expand();
  }

  @Override
  public @Nullable String markName(int op) {
    Optional<String> name = ops.get(op).markName();
    return name.isPresent() ? name.get() : null;
  }
}
