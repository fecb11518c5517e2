package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sealed documents of one {@link Repo}: the device's key pair, and per sealed document its
 * member log, keys and envelopes, kept in {@code sealed.sqlite} beside the repository's store. A
 * sealed document is an ordinary document of the repo; this adds what it takes to share it through
 * a relay that never reads it ({@link #sync}).
 *
 * <p>Membership changes ({@link #addMember}, {@link #removeMember}) are recorded at once and made
 * into signed member-log operations at the next sync, on top of the relay's latest log.
 *
 * <p>Thread-safety: safe for use by many threads; its methods run one at a time.
 */
public final class SealedRepo implements AutoCloseable {
  private final Repo repo;
  private final SealedStore store;
  private final SealedLimits limits;
  private final SecureRandom random;
  private final VerifiedLogs verifiedLogs = new VerifiedLogs();
  private final PendingApplied pending;
  private @Nullable MemberKeyPair device;

  private SealedRepo(Repo repo, SealedStore store, SealedLimits limits, SecureRandom random) {
    this.repo = repo;
    this.store = store;
    this.limits = limits;
    this.random = random;
    this.pending = new PendingApplied(store);
  }

  /**
   * The sealed documents of {@code repo}, whose directory is {@code directory}: opens {@code
   * sealed.sqlite} there, creating it if missing.
   *
   * @throws dev.converge.repo.spi.StorageException if it cannot be opened or has another schema
   */
  public static SealedRepo open(
      Repo repo, Path directory, SealedLimits limits, SecureRandom random) {
    return new SealedRepo(repo, SealedStore.open(directory), limits, random);
  }

  /** As {@link #open}, but empty when the directory has no sealed state yet (nothing created). */
  public static Optional<SealedRepo> openExisting(
      Repo repo, Path directory, SealedLimits limits, SecureRandom random) {
    return SealedStore.exists(directory)
        ? Optional.of(open(repo, directory, limits, random))
        : Optional.empty();
  }

  /** Sealed documents of a repository in memory, for tests. */
  public static SealedRepo inMemory(Repo repo, SealedLimits limits, SecureRandom random) {
    return new SealedRepo(repo, SealedStore.open(null), limits, random);
  }

  /** The name of the file {@link #open} keeps in the repository's directory. */
  public static String fileName() {
    return SealedStore.FILE_NAME;
  }

  /** This device's public key (made and stored on first use). */
  public synchronized MemberKey deviceKey() {
    return device().publicKey();
  }

  private MemberKeyPair device() {
    MemberKeyPair keys = device;
    if (keys == null) {
      Optional<MemberKeyPair> stored = store.deviceKeys();
      if (stored.isPresent()) {
        keys = stored.get();
      } else {
        keys = MemberKeyPair.generate(random);
        store.saveDeviceKeys(keys);
      }
      device = keys;
    }
    return keys;
  }

  /**
   * Makes {@code handle}'s document sealed, with this device its first member and an open invite,
   * and returns the invite's share link. Its content leaves the device only sealed, at the next
   * sync.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is sealed already
   */
  public synchronized ShareLink seal(DocHandle handle) {
    DocumentId id = handle.id();
    if (store.document(id).isPresent()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "document " + id + " is sealed already");
    }
    MemberKeyPair creator = device();
    byte[] epochKey = new byte[Aead.KEY_BYTES];
    random.nextBytes(epochKey);
    MemberOp genesis = MemberOps.genesis(id, creator, epochKey, random);
    MemberLog log = MemberLog.empty(id, limits);
    log.apply(genesis);
    MemberKeyPair invite = MemberKeyPair.generate(random);
    MemberOp add =
        MemberOps.add(log, creator, EntryKind.INVITE, invite.publicKey(), epochKey, random);
    log.apply(add);
    store.addDocument(id, List.of(genesis, add), Optional.empty());
    return ShareLink.of(id, invite);
  }

  /**
   * Adds the document of {@code link} to the repository, empty until the next sync fetches it and
   * joins this device through the link's invite. Joining a document the repository has already does
   * nothing.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the repository has a plaintext document
   *     with that ID
   */
  public synchronized DocHandle join(ShareLink link) {
    DocumentId id = link.documentId();
    if (store.document(id).isPresent()) {
      return repo.findOrCreate(id);
    }
    if (repo.find(id).filter(handle -> !handle.heads().isEmpty()).isPresent()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "the repository has a plaintext document " + id + "; a share link names a sealed one");
    }
    device();
    DocHandle handle = repo.findOrCreate(id);
    store.addDocument(id, List.of(), Optional.of(link));
    return handle;
  }

  public synchronized boolean isSealed(DocumentId id) {
    return store.document(id).isPresent();
  }

  /** The sealed documents, in ID order. */
  public synchronized List<DocumentId> documents() {
    return store.documents();
  }

  /**
   * The members of sealed document {@code id} as this device knows them, with the changes it asked
   * for and a relay has not accepted yet.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not a sealed document
   */
  public synchronized List<Member> members(DocumentId id) {
    SealedDocument document = load(id);
    ByteString self = device().publicKey().signKey();
    List<Member> members = new ArrayList<>();
    List<MemberLogStore.Intent> intents = store.memberLog().intents(id);
    for (MemberLog.Entry entry : document.log.entries()) {
      boolean removing =
          intents.stream()
              .anyMatch(
                  i ->
                      i.kind() == MemberLogStore.IntentKind.REMOVE
                          && i.member().equals(entry.key().signKey()));
      members.add(
          new Member(
              entry.key(),
              entry.kind(),
              entry.key().signKey().equals(self),
              removing ? Member.Status.REMOVING : Member.Status.MEMBER));
    }
    for (MemberLogStore.Intent intent : intents) {
      if (intent.kind() != MemberLogStore.IntentKind.REMOVE) {
        MemberKey key = memberKeyOf(intent.member());
        if (document.log.entry(key.signKey()).isEmpty()) {
          EntryKind kind =
              intent.kind() == MemberLogStore.IntentKind.ADD_INVITE
                  ? EntryKind.INVITE
                  : EntryKind.DEVICE;
          members.add(new Member(key, kind, key.signKey().equals(self), Member.Status.ADDING));
        }
      }
    }
    return members;
  }

  private static MemberKey memberKeyOf(ByteString bytes) {
    byte[] raw = bytes.toArray();
    return new MemberKey(ByteString.of(raw, 0, 32), ByteString.of(raw, 32, 32));
  }

  /**
   * Adds device {@code member} to sealed document {@code id} at the next sync.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not a sealed document, this device
   *     is not one of its members, or {@code member} was removed from it before
   */
  public synchronized void addMember(DocumentId id, MemberKey member) {
    SealedDocument document = load(id);
    requireWriter(document);
    if (document.log.former(member.signKey()).isPresent()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          member + " was removed from " + id + "; a removed key cannot be added again");
    }
    if (document.log.entry(member.signKey()).isEmpty()) {
      byte[] raw = new byte[64];
      System.arraycopy(member.signKey().toArray(), 0, raw, 0, 32);
      System.arraycopy(member.boxKey().toArray(), 0, raw, 32, 32);
      store.memberLog().addIntent(id, MemberLogStore.IntentKind.ADD_DEVICE, ByteString.wrap(raw));
    }
  }

  /**
   * Removes {@code member} (a device or an invite) from sealed document {@code id} at the next
   * sync, which starts a new epoch.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not a sealed document, this device
   *     is not one of its members, {@code member} is not one, or it is the last device
   */
  public synchronized void removeMember(DocumentId id, MemberKey member) {
    SealedDocument document = load(id);
    requireWriter(document);
    Optional<MemberLog.Entry> entry = document.log.entry(member.signKey());
    if (entry.isEmpty()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, member + " is not a member of " + id);
    }
    long devices =
        document.log.entries().stream().filter(e -> e.kind() == EntryKind.DEVICE).count();
    if (entry.get().kind() == EntryKind.DEVICE && devices == 1) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          member + " is the last device of " + id + " and cannot be removed");
    }
    store.memberLog().addIntent(id, MemberLogStore.IntentKind.REMOVE, member.signKey());
  }

  private void requireWriter(SealedDocument document) {
    if (!document.isWriter()) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "this device is not a member of "
              + document.id
              + (document.invite.isPresent() ? " yet (sync to join)" : ""));
    }
  }

  /**
   * Syncs sealed document {@code id} with the relay behind {@code relay}: see {@link SyncReport}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not a sealed document; of kind IO
   *     if the relay cannot be reached; a {@link dev.converge.core.CorruptDataException} if the
   *     relay's answers are not relay messages
   */
  public synchronized SyncReport sync(DocumentId id, RelayChannel relay) {
    SealedDocument document = load(id);
    DocHandle handle = repo.findOrCreate(id);
    SyncReport report =
        new SealedSync(document, handle, store, limits, random, relay, pending).run();
    pending.recordDurable();
    return report;
  }

  /**
   * Waits until the changes this device applied from envelopes of document {@code id} are durable
   * in the repository's log, and the envelopes recorded as applied. {@link #sync} returns once the
   * changes are in the document, as a plaintext sync does; until they are durable, a crash loses
   * only the record, and the next sync fetches those envelopes from the relay again.
   *
   * @throws dev.converge.repo.spi.StorageException if {@code sealed.sqlite} cannot record them
   */
  public synchronized void awaitDurable(DocumentId id) {
    pending.awaitAll(id);
  }

  /**
   * Seals what no envelope of document {@code id} covers yet, and stores the envelopes, as the next
   * sync would before pushing; for the benchmark and tests of this package. Returns how many
   * envelopes it made.
   */
  synchronized int sealPending(DocumentId id) {
    pending.awaitAll(id);
    SealedDocument document = load(id);
    return Sealer.sealPending(document, repo.findOrCreate(id), store, limits, random);
  }

  /** The device's private keys, for tests of this package that play a misbehaving member. */
  synchronized MemberKeyPair deviceKeyPair() {
    return device();
  }

  /** The stored state of a sealed document, for tests of this package. */
  synchronized SealedDocument document(DocumentId id) {
    return load(id);
  }

  private SealedDocument load(DocumentId id) {
    SealedStore.DocumentRow row =
        store
            .document(id)
            .orElseThrow(
                () ->
                    new ConvergeException(
                        ConvergeException.Kind.INVALID_ARGUMENT,
                        "document " + id + " is not sealed"));
    SealedDocument document = SealedDocument.load(store, row, device(), limits, verifiedLogs);
    pending.overlay(document);
    return document;
  }

  /** Records what is applied once it is durable (see {@link #awaitDurable}), then closes. */
  @Override
  public synchronized void close() {
    try {
      pending.awaitAll();
    } finally {
      store.close();
    }
  }
}
