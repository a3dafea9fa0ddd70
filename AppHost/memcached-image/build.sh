#!/usr/bin/env bash
# Builds a memcached container image from this machine's own memcached binary, for machines that reach no image
# registry (the official image cannot be pulled there). It holds the binary, the libraries it links, and an
# unprivileged user; nothing else. Point the AppHost at it with DualCache:MemcachedImage (or DualCache__MemcachedImage).
#
#   AppHost/memcached-image/build.sh [image]        default image: localhost/dualcache-memcached:1.6
set -euo pipefail

image=${1:-localhost/dualcache-memcached:1.6}
runtime=${ASPIRE_CONTAINER_RUNTIME:-docker}

binary=$(command -v memcached) || { echo "memcached is not on PATH: sudo apt-get install memcached" >&2; exit 1; }
version=$("$binary" -V | awk '{ print $2 }')
case "$version" in
  1.6.*) ;;
  *) echo "memcached $version: DualCache needs 1.6 (meta commands)" >&2; exit 1 ;;
esac

root=$(mktemp -d)
chmod 755 "$root"  # the image's /: mktemp makes it private, and the unprivileged user must reach /usr/bin
trap 'rm -rf "$root"' EXIT

copy() { mkdir -p "$root$(dirname "$1")" && cp -L "$1" "$root$1"; }
copy "$binary"
# Every library the binary links, and the dynamic loader itself.
ldd "$binary" | grep -oE '/[^ ]+' | sort -u | while read -r library; do copy "$library"; done

mkdir -p "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nmemcache:x:11211:11211:memcached:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nmemcache:x:11211:\n' > "$root/etc/group"

tar -C "$root" --owner=0 --group=0 -c . | "$runtime" import \
  --change 'USER memcache' \
  --change "ENTRYPOINT [\"$binary\"]" \
  --change 'EXPOSE 11211' \
  --message "memcached $version from $binary" \
  - "$image" >/dev/null

echo "$image (memcached $version)"
