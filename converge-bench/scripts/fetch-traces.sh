#!/usr/bin/env bash
# Downloads the public editing traces of josephg/editing-traces (CC BY 4.0; authors and sources in
# that repository's READMEs) at a pinned commit, and checks each file against its SHA-256 below.
# Not part of the build: the traces are 4 MB in all, and `mvn verify` replays small traces of our
# own instead.
#
#   bash converge-bench/scripts/fetch-traces.sh [DIR]      (default: converge-bench/target/traces)
#
# It writes DIR/sequential/NAME.json.gz (the original traces, some with non-ASCII text),
# DIR/sequential-ascii/NAME.json.gz (the project's ASCII-only copies of the four traces that have
# non-ASCII text) and DIR/concurrent/NAME.json.gz. A file already present with the right checksum
# is not downloaded again; a download that fails or whose checksum differs is not kept, and the
# script goes on with the others and exits 1.
set -euo pipefail

commit=762fa6c51605c88a05ebe5c4b9d4540caca30b97
base="https://raw.githubusercontent.com/josephg/editing-traces/$commit"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
dir="${1:-$root/converge-bench/target/traces}"

# local path, path in the repository, SHA-256 of the gzip file
traces=(
  "sequential/automerge-paper sequential_traces/automerge-paper 42c0ff1720c0cad77077e190e36135c9cab9f7bbc266351c0a7fe4981c6a1546"
  "sequential/clownschool_flat sequential_traces/clownschool_flat b433734c2b372651ca3254245d998de4a17d5c16594c9715bd09fa448ac86946"
  "sequential/friendsforever_flat sequential_traces/friendsforever_flat a385143a43b59eb9a0fcc9f5a0807f39c070db8cde8f2885a43d0225b3732f46"
  "sequential/json-crdt-blog-post sequential_traces/json-crdt-blog-post 30d0c2f2f4c37cb61a27c940eda73fe2767405092da270185c5ddd9c409e716d"
  "sequential/json-crdt-patch sequential_traces/json-crdt-patch c7e60bdeacd8fd3a560f34f3d306ec88d4976e6a3cc6820ecb88f5c1017dca5a"
  "sequential/rustcode sequential_traces/rustcode a13d472b5641dcad18d52882eff8c2d68ecbc27aa0f1e5a17eeb42f0f3130f38"
  "sequential/seph-blog1 sequential_traces/seph-blog1 43b5d326ca8c9094cd94e28ab66cd2f3073ce2893db959a0388c53f0aed8156d"
  "sequential/sveltecomponent sequential_traces/sveltecomponent 0393353a1ff0281f4a2adad080b0843bffa7988f9a4869ed04faf0984f78a234"
  "sequential-ascii/json-crdt-blog-post sequential_traces/ascii_only/json-crdt-blog-post 4a376baaa596a587cbee471599115a2ae517392e5d71679738823e33f889b071"
  "sequential-ascii/json-crdt-patch sequential_traces/ascii_only/json-crdt-patch 0f3f468b7cafc7448f03ac7cb42db813163729006b49e4da059cda29576b2baa"
  "sequential-ascii/rustcode sequential_traces/ascii_only/rustcode 8c437698b099d9dcb322165026e02761495a80fec04adf783afac61b08be5e85"
  "sequential-ascii/seph-blog1 sequential_traces/ascii_only/seph-blog1 3a9967515e1dce748103b623512629f7d25a9a8bd362e465b9520aec750c536f"
  "concurrent/clownschool concurrent_traces/clownschool b53866c8ab53233755a7b6ad60698a66cad041607e95c07056b036f464240b94"
  "concurrent/friendsforever concurrent_traces/friendsforever c80f9ee71bb2f063d58d1db8513d60145f0f7e209f6c72c8600b22eee73a2769"
)

sha256() {
  sha256sum "$1" | cut -c1-64
}

failed=0
for entry in "${traces[@]}"; do
  read -r local remote expected <<<"$entry"
  file="$dir/$local.json.gz"
  mkdir -p "$(dirname "$file")"
  if [[ -f "$file" && "$(sha256 "$file")" == "$expected" ]]; then
    echo "ok      $file (already here)"
    continue
  fi
  if ! curl -fsSL --retry 3 -o "$file.part" "$base/$remote.json.gz"; then
    echo "FAILED  $file: cannot download $base/$remote.json.gz" >&2
    rm -f "$file.part"
    failed=1
    continue
  fi
  actual="$(sha256 "$file.part")"
  if [[ "$actual" != "$expected" ]]; then
    echo "BAD     $file: sha256 $actual, expected $expected" >&2
    rm -f "$file.part"
    failed=1
    continue
  fi
  mv "$file.part" "$file"
  echo "fetched $file"
done
exit "$failed"
