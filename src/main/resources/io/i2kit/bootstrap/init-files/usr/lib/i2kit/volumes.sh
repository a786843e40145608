# Sourced by /init (busybox ash): mount_volumes, the replica's data volumes.
#
# /run/config/i2kit/volumes/<name> holds the disk of each volume: a virtio serial (local provider:
# i2kit-v0) or an EBS volume id (AWS: vol-0abc..., which Nitro presents as the NVMe serial
# vol0abc...). Each is compared with '-' removed on both sides. The disk is formatted ext4 on first
# use (all zeros where a file system would start), else mounted as it is: ext4's journal makes a
# VM killed while writing a matter of replaying it at mount, which the kernel does. A disk that
# holds something else is never formatted. The mount is /run/i2kit/volumes/<name>, which the
# containers that mount the volume bind (see build.BundleSpec).

# How long a volume's disk may take to appear: virtio at once, an EBS attachment some seconds.
volume_wait_tenths=600
# e2fsprogs' mke2fs, from i2kit.local/mke2fs, which only the images of services with volumes carry
# (busybox's /bin/mke2fs makes ext2, without a journal).
mke2fs=/sbin/mke2fs

# disk_by_serial SERIAL: prints the device name (vdb, nvme1n1) whose serial is SERIAL, '-' ignored.
disk_by_serial() {
    local want=$1 f serial dev
    want=${want//-/}
    for f in /sys/block/vd*/serial /sys/block/nvme*n*/device/serial; do
        [ -r "$f" ] || continue
        # virtio's serial has no newline, so read reports the end of the file: test what it read
        serial=""
        read -r serial <"$f" 2>/dev/null
        serial=${serial%% *} # NVMe pads with spaces
        serial=${serial//-/}
        [ "$serial" = "$want" ] || continue
        dev=${f#/sys/block/}
        echo "${dev%%/*}"
        return 0
    done
    return 1
}

# fs_state DEV: "ext" when an ext2/3/4 superblock is there (magic 0xEF53 at byte 1080), "empty"
# when the first 64 KiB are zeros (a new disk file or EBS volume), else "other".
fs_state() {
    local magic
    magic=$(od -An -tx1 -j 1080 -N 2 "$1" 2>/dev/null | tr -d ' \n')
    if [ "$magic" = 53ef ]; then
        echo ext
    elif [ -z "$(od -An -tx1 -N 65536 "$1" 2>/dev/null | tr -d ' 0\n*')" ]; then
        echo empty
    else
        echo other
    fi
}

# mount_volume NAME DISK: waits for the disk, formats it when new, mounts it; fatal on failure.
mount_volume() {
    local name=$1 disk=$2 dev="" tries=$volume_wait_tenths dir=/run/i2kit/volumes/$1 size state how
    while [ -z "$dev" ]; do
        dev=$(disk_by_serial "$disk") && break
        dev=""
        [ $tries -gt 0 ] || fatal "volume $name: no disk with serial $disk appeared within $((volume_wait_tenths / 10)) s (disks: $(ls /sys/block | tr '\n' ' '))"
        tries=$((tries - 1))
        sleep 0.1
    done
    state=$(fs_state "/dev/$dev")
    read -r size <"/sys/block/$dev/size" # 512-byte sectors
    size=$((size / 2048))
    case $state in
    empty)
        [ -x "$mke2fs" ] || fatal "volume $name: $dev is new, but the image has no $mke2fs to format it (i2kit.local/mke2fs)"
        # lazy init: the kernel zeroes inode tables in the background instead of mke2fs up front
        "$mke2fs" -q -t ext4 -m 0 -E lazy_itable_init=1,lazy_journal_init=1 "/dev/$dev" >/run/i2kit/mke2fs.out 2>&1 \
            || fatal "volume $name: mke2fs on $dev failed: $(cat /run/i2kit/mke2fs.out)"
        how="formatted $size MiB on $dev" ;;
    ext) how="mounted (existing data) on $dev" ;;
    *) fatal "volume $name: $dev holds data that is not an ext4 file system; refusing to format it" ;;
    esac
    mkdir -p "$dir"
    mount -t ext4 -o noatime "/dev/$dev" "$dir" 2>/run/i2kit/mount.err \
        || fatal "volume $name: cannot mount $dev: $(cat /run/i2kit/mount.err)"
    log "volume $name: $how"
}

mount_volumes() {
    local f fs
    for f in /run/config/i2kit/volumes/*; do
        [ -f "$f" ] || continue
        # ext4 is built into Debian's cloud kernel; a kernel with it as a module loads it here
        fs=$(cat /proc/filesystems)
        case $fs in *ext4*) ;; *) load_module ext4 ;; esac
        mount_volume "${f##*/}" "$(cat "$f")"
    done
}
