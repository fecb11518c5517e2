package dev.converge.repo.sealed;

import java.util.Objects;

/**
 * One line of a sealed document's member list, as this device sees it.
 *
 * @param key the member's key
 * @param kind a device or an invite
 * @param thisDevice whether it is this device
 * @param status a member now, or a change this device asked for and a relay has not accepted yet
 */
public record Member(MemberKey key, EntryKind kind, boolean thisDevice, Status status) {
  /** Whether the entry is in the log, or a change to it is still to be synced. */
  public enum Status {
    MEMBER,
    ADDING,
    REMOVING
  }

  public Member {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }
}
