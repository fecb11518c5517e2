import * as A from "@automerge/automerge";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
const d = A.load(readFileSync(process.argv[2]));
mkdirSync(process.argv[3], { recursive: true });
for (const c of A.getAllChanges(d)) {
  const x = A.decodeChange(c);
  writeFileSync(`${process.argv[3]}/${(x.actor+"________").slice(0,8)}-${x.seq}-${x.hash.slice(0,8)}`, c);
}
