package dev.converge.repo.sealed;

/** What a member-log entry is. */
public enum EntryKind {
  /** A device: it may write envelopes, add and remove entries. */
  DEVICE,
  /** An open invite (a share link's keys): it may only join, adding a device. */
  INVITE
}
