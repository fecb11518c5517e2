import * as A from "@automerge/automerge";
import { readFileSync } from "node:fs";
import { typedDocument, stringify } from "./typed.mjs";
const d = A.load(readFileSync(process.argv[2]));
const s = stringify(typedDocument(d));
const i = s.indexOf(process.argv[3]); console.log(s.slice(Math.max(0,i-300), i+200));
