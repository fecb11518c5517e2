package dev.converge.server;

import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocumentId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The server's {@link DocumentStore}: the backend's, telling {@link Retention} of every document a
 * client requests or syncs (the sync server looks a document up once per connection, when the
 * client first names it). A document a client names that is not stored yet is prepared, and stored
 * only with its first change, which counts as a use then.
 *
 * <p>Every method but {@link DocumentStore#find} goes to the backend's store unchanged, through a
 * proxy: a hand-written decorator repeated each of the store's methods, and had to be kept in step
 * with the interface and with {@link DocumentStore#of}.
 */
final class UsedDocumentStore {
  private UsedDocumentStore() {}

  /** {@code store}, telling {@code used} of every document its {@code find} finds. */
  static DocumentStore of(DocumentStore store, Consumer<DocumentId> used) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result = invoke(store, method, args);
          if (method.getName().equals("find")
              && result instanceof Optional<?> found
              && found.isPresent()) {
            used.accept((DocumentId) args[0]);
          }
          return result;
        };
    return (DocumentStore)
        Proxy.newProxyInstance(
            DocumentStore.class.getClassLoader(), new Class<?>[] {DocumentStore.class}, handler);
  }

  private static @Nullable Object invoke(
      DocumentStore store, Method method, @Nullable Object @Nullable [] args) throws Throwable {
    try {
      return method.invoke(store, args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // what the store threw, as it threw it
    }
  }
}
