#!/bin/bash
# Fills the HTTPD volume with the RHCOS live ISO and rootfs of the release, verified against the folder's
# sha256sum.txt. Files that already match their checksum are kept, so a re-run downloads nothing.
# Env: RHCOS_URL (folder URL), TARGET_DIR (e.g. /var/www/html/4.14), ARCH (x86_64).
set -euo pipefail
mkdir -p "$TARGET_DIR"
work=$(mktemp -d "$TARGET_DIR/.download.XXXXXX")
trap 'rm -rf "$work"' EXIT

curl -fsSL --retry 5 --retry-delay 10 -o "$work/sha256sum.txt" "$RHCOS_URL/sha256sum.txt"

# fetch <regex of the published file name> <name served by HTTPD>
fetch() {
  local pattern=$1 target=$2 line sum file
  line=$(grep -E "[[:space:]]\*?(${pattern})\$" "$work/sha256sum.txt" | head -n 1 || true)
  if [ -z "$line" ]; then
    echo "error: $RHCOS_URL/sha256sum.txt lists no file matching ${pattern}" >&2
    exit 1
  fi
  sum=${line%% *}
  file=${line##* }
  file=${file#\*}
  if [ -f "$TARGET_DIR/$target" ] && echo "$sum  $TARGET_DIR/$target" | sha256sum -c --status; then
    echo "$target is up to date ($file)"
    return
  fi
  echo "downloading $file"
  curl -fSL --retry 5 --retry-delay 10 -o "$work/$target" "$RHCOS_URL/$file"
  if ! echo "$sum  $work/$target" | sha256sum -c --status; then
    echo "error: checksum mismatch for $RHCOS_URL/$file" >&2
    exit 1
  fi
  mv -f "$work/$target" "$TARGET_DIR/$target"
  echo "$target installed ($file, sha256 $sum)"
}

fetch "rhcos-([0-9.]+-)?${ARCH}-live\.${ARCH}\.iso|rhcos-live\.${ARCH}\.iso" "rhcos-live.${ARCH}.iso"
fetch "rhcos-([0-9.]+-)?${ARCH}-live-rootfs\.${ARCH}\.img|rhcos-live-rootfs\.${ARCH}\.img" "rhcos-live-rootfs.${ARCH}.img"
