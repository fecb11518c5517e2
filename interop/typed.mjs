// The typed value tree of an Automerge document ({t: "map", id, entries}, {t: "list", id, items},
// {t: "text", id, v, marks?}, each slot {opId, node}, a scalar {t: TYPE, v}), the shape the Java
// interop tests compare against, and a JSON printer that keeps 64-bit integers
// exact. Shared by gen.mjs and inspect.mjs.
import * as A from "@automerge/automerge";

/** The typed tree of the whole document (the root map). */
export function typedDocument(doc) {
  const backend = A.getBackend(doc);
  return typedObject(backend, "_root", "map");
}

function typedObject(backend, id, type) {
  switch (type) {
    case "map":
    case "table": {
      const entries = {};
      for (const key of backend.keys(id)) {
        // keys() also lists an op that a file put on a map with an element key (as its op ID),
        // which holds no value and which toJS leaves out.
        const all = backend.getAll(id, key);
        if (all.length > 0) {
          entries[key] = slot(backend, all);
        }
      }
      return { t: "map", id, entries };
    }
    case "list": {
      const items = [];
      const length = backend.length(id);
      for (let index = 0; index < length; index++) {
        items.push(slot(backend, backend.getAll(id, index)));
      }
      return { t: "list", id, items };
    }
    case "text": {
      const node = { t: "text", id, v: backend.text(id) };
      const marks = backend.marks(id);
      if (marks.length > 0) {
        node.marks = marks.map((mark) => ({
          name: mark.name,
          start: mark.start,
          end: mark.end,
          value: plain(mark.value),
        }));
      }
      return node;
    }
    default:
      throw new Error(`unknown object type ${type} for ${id}`);
  }
}

// getAll lists every concurrent value of a slot in op order; the winner is the last one.
function slot(backend, all) {
  const values = all.map((entry) => withOpId(backend, entry));
  const winner = { ...values[values.length - 1].node };
  if (values.length > 1) {
    winner.conflicts = values.map(({ opId, node }) => ({ opId, ...node }));
  }
  return winner;
}

function withOpId(backend, entry) {
  const [type, value] = entry;
  if (type === "map" || type === "list" || type === "text" || type === "table") {
    return { opId: value, node: typedObject(backend, value, type) };
  }
  return { opId: entry[2], node: { t: type, v: plain(value) } };
}

/** A scalar as the vectors print it: bytes as hex, timestamps as epoch ms. */
function plain(value) {
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString("hex");
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  if (value instanceof A.Counter) {
    return value.value;
  }
  return value;
}

const BIG = "\u0001bigint:";

/** JSON.stringify, except that BigInt values are printed as exact JSON numbers. */
export function stringify(value, indent) {
  const text = JSON.stringify(
    value,
    (key, v) => (typeof v === "bigint" ? BIG + v.toString() : v),
    indent,
  );
  return text.replace(/"\\u0001bigint:(-?[0-9]+)"/g, "$1");
}

/** The document's heads, sorted. */
export function sortedHeads(doc) {
  return [...A.getHeads(doc)].sort();
}
