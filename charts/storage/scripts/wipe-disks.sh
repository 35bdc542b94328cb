#!/bin/bash
# Wipes the storage disks of one edge node, once, before LVMS or LSO/ODF claim them.
#
# Runs in a privileged pod pinned to the node, with the host's root file system at $HOST_ROOT; every disk command
# runs inside the host (chroot) so it uses the host's own util-linux and device-mapper tools.
#
# Once: a ConfigMap $MARKER in $NAMESPACE records a finished wipe. When it exists the script exits at once, so a
# re-sync, a re-created Job or a retried pod never touches disks that may hold data by now.
# Safety even without the marker: a disk is refused (and nothing is wiped) when it or a partition is mounted, is
# held by a device-mapper target that something has open, or is locked by a running process (Ceph OSDs hold an
# exclusive lock on their device).
#
# Environment: NODE_NAME, STORAGE_DISKS (space separated device paths), MARKER, NAMESPACE, HOST_ROOT.
set -euo pipefail

: "${NODE_NAME:?}" "${STORAGE_DISKS:?}" "${MARKER:?}" "${NAMESPACE:?}"
HOST_ROOT="${HOST_ROOT:-/host}"

log() { printf '%s wipe-disks[%s]: %s\n' "$(date -u +%FT%TZ)" "$NODE_NAME" "$*"; }
host() { chroot "$HOST_ROOT" "$@"; }

if [ -n "$(oc get configmap "$MARKER" -n "$NAMESPACE" -o name --ignore-not-found)" ]; then
  log "marker configmap/$MARKER exists: the disks were wiped before, nothing to do"
  exit 0
fi

read -r -a disks <<<"$STORAGE_DISKS"

# Resolve every path first and check all disks before wiping any, so a refused disk leaves the others untouched.
declare -a devices=()
for disk in "${disks[@]}"; do
  dev="$(host readlink -f -- "$disk")"
  if ! host test -b "$dev"; then
    log "ERROR: $disk ($dev) is not a block device on this node"
    exit 1
  fi
  if [ "$(host lsblk -ndo TYPE -- "$dev")" != "disk" ]; then
    log "ERROR: $disk ($dev) is not a whole disk"
    exit 1
  fi
  mounts="$(host lsblk -nro MOUNTPOINT -- "$dev" | sed '/^$/d')"
  if [ -n "$mounts" ]; then
    log "ERROR: $disk ($dev) or one of its partitions is mounted at: $mounts"
    exit 1
  fi
  # Device-mapper devices stacked on the disk (an old LVM volume group, a LUKS mapping) must be unused.
  while read -r name type; do
    case "$type" in disk | part) continue ;; esac
    open="$(host dmsetup info -c --noheadings -o open "/dev/$name" 2>/dev/null | tr -d ' ')"
    if [ "${open:-1}" != "0" ]; then
      log "ERROR: $disk ($dev) is in use by /dev/$name (open count ${open:-unknown})"
      exit 1
    fi
  done < <(host lsblk -nro KNAME,TYPE -- "$dev")
  if ! host flock --nonblock --exclusive "$dev" true; then
    log "ERROR: $disk ($dev) is locked by a running process"
    exit 1
  fi
  devices+=("$dev")
done

for i in "${!devices[@]}"; do
  dev="${devices[$i]}"
  log "wiping ${disks[$i]} ($dev)"
  # Remove unused mappings stacked on the disk, top first (the kernel refuses to drop a mapping that has holders).
  while read -r name type; do
    case "$type" in disk | part) continue ;; esac
    # a mapping over several listed disks shows up under each of them: gone already the second time
    if host test -b "/dev/$name"; then
      log "removing unused device-mapper device /dev/$name"
      host dmsetup remove --retry "/dev/$name"
    fi
  done < <(host lsblk -nro KNAME,TYPE -- "$dev" | tac)
  # Partitions first (their signatures stay readable to a later partition table otherwise), then the disk.
  while read -r part; do
    host wipefs --all --force "/dev/$part"
  done < <(host lsblk -nro KNAME,TYPE -- "$dev" | awk '$2 == "part" { print $1 }')
  host wipefs --all --force "$dev"
  # wipefs leaves LVM and Ceph metadata areas beyond the signatures; zero the head of the disk as well.
  host dd if=/dev/zero of="$dev" bs=1M count=100 oflag=direct status=none
  host blockdev --rereadpt "$dev" || log "re-reading the partition table of $dev failed (ignored: the disk has none now)"
done

oc create configmap "$MARKER" -n "$NAMESPACE" \
  --from-literal=node="$NODE_NAME" \
  --from-literal=disks="$STORAGE_DISKS" \
  --from-literal=wipedAt="$(date -u +%FT%TZ)"
log "done: marker configmap/$MARKER created"
