#!/usr/bin/env bash
# Builds the web app into frontend/dist: wasm32 release build, cut into the app and its lazily
# loaded page groups (wasm-split-cli), wasm-bindgen, content-hashed assets and an index.html that
# points at them. Uses only locally installed tools.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_wasm_toolchain

# wasm-split-cli cuts the wasm at the `#[wasm_split]` functions of frontend/src/lazy_pages.rs. Its
# cuts must match the `wasm_split_helpers` version in Cargo.lock (0.2.x).
wasm_split_version=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$wasm_split_version:"; then
  say "installing wasm-split-cli $wasm_split_version (a few minutes, once)"
  cargo install --locked wasm_split_cli_support --version "$wasm_split_version" --features build-binary
fi

# `erase_components` is Leptos's own switch to type-erase views and reactive closures, so they are
# not monomorphised once per call site: about 8% less gzipped wasm. The v0 symbol mangling
# measured 3.5 KiB (1%) less gzipped, for reasons not tracked down; the names themselves are removed
# below either way. `--emit-relocs` keeps the linker's relocations, which wasm-split-cli needs to
# move code into other modules. Set for the wasm target only, so host builds in the same target dir
# keep their flags and are not rebuilt.
cargo build -p msp-frontend --target wasm32-unknown-unknown --profile wasm-release \
  --config 'target.wasm32-unknown-unknown.rustflags = ["--cfg=erase_components", "-Csymbol-mangling-version=v0", "-Clink-arg=--emit-relocs"]'
target_dir=${CARGO_TARGET_DIR:-target}
split_out=$target_dir/wasm-split
bindgen_out=$target_dir/wasm-bindgen
rm -rf "$split_out" "$bindgen_out"
# app.wasm (what the app starts with), split_<group>.wasm and the chunk_<n>.wasm they share, and
# __wasm_split.js, which loads them. The split modules use the app's function table, which
# wasm-bindgen would otherwise stop exporting (`--keep-lld-exports`).
wasm-split-cli --target web --out-name app \
  "$target_dir/wasm32-unknown-unknown/wasm-release/msp_frontend.wasm" "$split_out"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --keep-lld-exports \
  --out-dir "$bindgen_out" --out-name app \
  "$split_out/app.wasm"

# The split modules as wasm-split-cli writes them, less their custom sections (function names,
# producers): a wasm section is its id byte, its size as unsigned LEB128 and its bytes; custom
# sections have id 0. Perl, as Debian always has it (perl-base).
strip_custom_sections() { # in out
  perl -0777 -e '
    binmode STDIN; binmode STDOUT;
    my $wasm = <STDIN>;
    my ($kept, $at) = (substr($wasm, 0, 8), 8);
    while ($at < length $wasm) {
      my $start = $at;
      my $id = ord substr($wasm, $at++, 1);
      my ($size, $shift) = (0, 0);
      while (1) {
        my $byte = ord substr($wasm, $at++, 1);
        $size |= ($byte & 0x7f) << $shift;
        $shift += 7;
        last if $byte < 0x80;
      }
      $at += $size;
      $kept .= substr($wasm, $start, $at - $start) if $id != 0;
    }
    print $kept;' <"$1" >"$2"
}

dist=frontend/dist
rm -rf "$dist.tmp" && mkdir -p "$dist.tmp/assets"
sha() { sha256sum "$@" | cut -c1-16; }
hashed() { # file stem ext -> copies to assets/stem-<hash>.ext and prints the name
  local name="$2-$(sha "$1").$3"
  cp "$1" "$dist.tmp/assets/$name"
  echo "$name"
}
wasm=$(hashed "$bindgen_out/app_bg.wasm" app wasm)
# The loader names each split module: rename them to their hashed names there.
loader_src="$bindgen_out/wasm_split.js"
cp "$split_out/__wasm_split.js" "$loader_src"
for module in "$split_out"/split_*.wasm "$split_out"/chunk_*.wasm; do
  [ -e "$module" ] || continue
  stem=$(basename "$module" .wasm)
  strip_custom_sections "$module" "$bindgen_out/$stem.wasm"
  name=$(hashed "$bindgen_out/$stem.wasm" "$stem" wasm)
  sed -i "s#\"\./$stem\.wasm\"#\"./$name\"#" "$loader_src"
done
# app.js and the loader import each other, so neither name can hash the other's final text: both
# are named by a hash of the whole build (and of this script, which writes them), which changes
# whenever any of these does.
build=$(cat "$bindgen_out/app.js" "$loader_src" "$bindgen_out/app_bg.wasm" scripts/build-frontend.sh | sha -)
js=app-$build.js
loader=split-$build.js
# Only the import statements: app.js also keys the wasm module's imports by the name the wasm asks
# for ("./__wasm_split.js"), which stays.
sed -E "s#^(import .* from )\"\./__wasm_split\.js\"#\1\"./$loader\"#" "$bindgen_out/app.js" >"$dist.tmp/assets/$js"
sed -E "s#^(import .* from )\"\./app\.js\"#\1\"./$js\"#" "$loader_src" >"$dist.tmp/assets/$loader"
style=$(hashed frontend/static/style.css style css)
boot_src="$bindgen_out/boot.js"
printf "import init from './%s';\ninit({ module_or_path: new URL('./%s', import.meta.url) });\n" "$js" "$wasm" > "$boot_src"
boot=$(hashed "$boot_src" boot js)
sed -e "s/__STYLE__/$style/" -e "s/__APP_JS__/$js/" -e "s/__APP_WASM__/$wasm/" -e "s/__BOOT_JS__/$boot/" \
  frontend/static/index.html > "$dist.tmp/index.html"
rm -rf "$dist" && mv "$dist.tmp" "$dist"

gz_size() { gzip -9 -c "$1" | wc -c; }
raw=$(stat -c %s "$dist/assets/$wasm")
gz=$(gz_size "$dist/assets/$wasm")
pages_raw=0 pages_gz=0 pages=0
for module in "$dist"/assets/split_*.wasm "$dist"/assets/chunk_*.wasm; do
  [ -e "$module" ] || continue
  pages=$((pages + 1))
  pages_raw=$((pages_raw + $(stat -c %s "$module")))
  pages_gz=$((pages_gz + $(gz_size "$module")))
done
echo "web app built in $dist: wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped" \
  "(+ $pages files loaded with their pages: $((pages_raw / 1024)) KiB, $((pages_gz / 1024)) KiB gzipped)"
