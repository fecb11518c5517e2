// An in-memory storage for automerge-repo in the interop scripts: a repo with storage reports a
// storageId and is not ephemeral, as a real server or browser repo is.

/** automerge-repo's StorageAdapterInterface over a Map; keys are string arrays. */
export class MemoryStorage {
  #data = new Map();
  #key(key) {
    return key.join("\u0000");
  }
  async load(key) {
    return this.#data.get(this.#key(key))?.data;
  }
  async save(key, data) {
    this.#data.set(this.#key(key), { key, data });
  }
  async remove(key) {
    this.#data.delete(this.#key(key));
  }
  async loadRange(prefix) {
    const p = this.#key(prefix);
    return [...this.#data.entries()]
      .filter(([k]) => k === p || k.startsWith(p + "\u0000"))
      .map(([, chunk]) => chunk);
  }
  async removeRange(prefix) {
    for (const chunk of await this.loadRange(prefix)) this.#data.delete(this.#key(chunk.key));
  }
}
