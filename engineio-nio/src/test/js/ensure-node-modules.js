#!/usr/bin/env node
// Makes <dir>/node_modules match <dir>/package-lock.json (dir: the first argument, default this script's folder), run
// by `mvn` through exec-maven-plugin: here at process-test-resources (the interop tests), and by the examples module for
// its src/main/js at generate-resources (always, also with -DskipTests: the demo page needs engine.io-client's browser
// bundle in the jar) and its src/test/js at process-test-resources (the browser test). The one copy of this script.
// `npm ci` is the strict install (exact lock, fails if package.json and the lock disagree) but it always deletes
// and reinstalls node_modules; this wrapper runs it only when the lock changed since the last successful install
// (a SHA-256 of package.json + package-lock.json kept in node_modules/.engineio-nio-installed), so a repeated
// build costs one hash instead of a reinstall.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const dir = path.resolve(process.argv[2] || __dirname);
const marker = path.join(dir, "node_modules", ".engineio-nio-installed");
const hash = crypto.createHash("sha256");
for (const f of ["package.json", "package-lock.json"]) hash.update(fs.readFileSync(path.join(dir, f)));
const want = hash.digest("hex");

let have = null;
try {
  have = fs.readFileSync(marker, "utf8").trim();
} catch (e) {
  // no marker: never installed by this script
}
if (have === want) process.exit(0); // current: nothing to do, nothing printed

const win = process.platform === "win32";
// npm's output (progress, deprecation warnings) is kept out of a green build's console: printed only when npm fails.
const npm = spawnSync(win ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], {
  cwd: dir, shell: win, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
});
if (npm.status !== 0) {
  process.stderr.write(`npm ci failed in ${dir} (${npm.error ? npm.error.message : "exit " + npm.status})\n`);
  process.stderr.write(npm.stdout || "");
  process.stderr.write(npm.stderr || "");
  process.exit(npm.status || 1);
}
fs.writeFileSync(marker, want + "\n");
// the folder relative to the repository root (this script is in <root>/engineio-nio/src/test/js)
process.stdout.write(`npm ci: installed ${path.relative(path.resolve(__dirname, "..", "..", "..", ".."), dir)}\n`);

