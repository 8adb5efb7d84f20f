#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch Debian arm64 packages into a cache directory and unpack them, on any
# host architecture, without touching the machine's own apt state. Used at
# build and test time for the real device trees, U-Boot builds and the Pi boot
# firmware (none of which the repository carries).
#
#   debian-fetch.sh [-c COMPONENT]... [-p GLOB]... CACHE_DIR PACKAGE...
#
#   PACKAGE    a package name, or NAME|META: NAME if the archive has it, else
#              the first linux-image dependency of the metapackage META
#   -c COMP    also use this archive component (e.g. non-free-firmware)
#   -p GLOB    unpack only the paths matching GLOB (tar --wildcards), e.g. '*.dtb'
#
# Prints, one per line, the directory each package was unpacked into
# (CACHE_DIR/unpacked/NAME). A package already unpacked there is not fetched
# again, so repeated runs need no network. Exit status 77 (ctest's skip code)
# when the archive cannot be reached, with the reason on stderr.
#
# The package sources are derived from the machine's own apt sources
# (/etc/apt/sources.list and sources.list.d/*.sources), with the architecture
# forced to arm64 and any -c components added; the lists and downloads live
# in CACHE_DIR/apt (PLATFORM-FACTS.md, "Real Pi device trees ...").
set -eu

components="" globs=""
while [ $# -gt 0 ]; do
    case "$1" in
    -c) components="$components $2"; shift 2 ;;
    -p) globs="$globs
$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "debian-fetch.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -ge 2 ] || { echo "usage: debian-fetch.sh [-c COMP] [-p GLOB] CACHE_DIR PACKAGE..." >&2; exit 2; }
cache=$1
shift
mkdir -p "$cache/unpacked"
cache=$(cd "$cache" && pwd)

skip() {
    echo "debian-fetch.sh: SKIP: $*" >&2
    exit 77
}

# Everything already unpacked: no network at all.
all_there=1
for spec in "$@"; do
    [ -f "$cache/unpacked/${spec%%|*}/.complete" ] || all_there=0
done
if [ "$all_there" -eq 1 ]; then
    for spec in "$@"; do echo "$cache/unpacked/${spec%%|*}"; done
    exit 0
fi

command -v apt-get > /dev/null 2>&1 && command -v dpkg-deb > /dev/null 2>&1 ||
    skip "apt-get and dpkg-deb are needed to fetch $*"

# One fetch at a time per cache (ctest runs tests in parallel); whoever
# waited finds the packages unpacked and skips them below.
if command -v flock > /dev/null 2>&1; then
    exec 9> "$cache/.lock"
    flock 9
fi

apt="$cache/apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$apt/debs"

# The machine's Debian sources with arm64 and the extra components: one-line
# entries ("deb [opts] URI SUITE COMP...") and deb822 stanzas (".sources").
{
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v extra="$components" '
            /^[[:space:]]*deb[[:space:]]/ {
                line = $0; sub(/^[[:space:]]*deb[[:space:]]+/, "", line)
                opts = ""
                if (line ~ /^\[/) { opts = substr(line, 2, index(line, "]") - 2); line = substr(line, index(line, "]") + 1) }
                gsub(/arch(itecture)?s?=[^ ]*/, "", opts)
                print "deb [arch=arm64 " opts "] " line extra
            }' "$f"
    done
} > "$apt/sources.list"
: > "$apt/sources.list.d/derived.sources"
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v extra="$components" '
        function flush() { if (n > 0) print "Architectures: arm64\n"; n = 0 }
        /^[[:space:]]*#/ { next }
        /^Architectures:/ { next }
        /^[[:space:]]*$/ { flush(); next }
        /^Components:/ { print $0 extra; n++; next }
        { print; n++ }
        END { flush() }' "$f" >> "$apt/sources.list.d/derived.sources"
done
[ -s "$apt/sources.list" ] || [ -s "$apt/sources.list.d/derived.sources" ] ||
    skip "no apt sources on this machine to derive the archive from"

A="-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 -oDir::State::Lists=$apt/lists
   -oDir::Cache=$apt/cache -oDir::State::status=/dev/null -oDir::Etc::SourceList=$apt/sources.list
   -oDir::Etc::SourceParts=$apt/sources.list.d -oDebug::NoLocking=1 -oAPT::Sandbox::User=root
   -oAcquire::Retries=1 -oAcquire::http::Timeout=30 -oAcquire::https::Timeout=30 -q"

# Package lists: fetched once, refreshed when older than a day (an archive
# moves on: a superseded .deb disappears from it).
stamp="$apt/lists/.updated"
refresh=0
[ -f "$stamp" ] || refresh=1
[ "$refresh" -eq 1 ] || [ -z "$(find "$stamp" -mmin +1440 2>/dev/null)" ] || refresh=1
grep -qsxF "components:$components" "$stamp" || refresh=1
if [ "$refresh" -eq 1 ]; then
    # shellcheck disable=SC2086
    if ! timeout 300 apt-get $A update > "$apt/update.log" 2>&1 ||
            grep -Eq '^(W|E): (Failed to fetch|Some index files failed)' "$apt/update.log"; then
        sed 's/^/debian-fetch.sh:   /' "$apt/update.log" | tail -n 5 >&2
        skip "the Debian package archive cannot be reached (apt-get update failed)"
    fi
    echo "components:$components" > "$stamp"
fi

has_pkg() {
    # shellcheck disable=SC2086
    apt-cache $A show "$1" > /dev/null 2>&1
}

for spec in "$@"; do
    name=${spec%%|*}
    dest="$cache/unpacked/$name"
    if [ -f "$dest/.complete" ]; then
        echo "$dest"
        continue
    fi
    pkg=$name
    if ! has_pkg "$pkg"; then
        meta=""
        [ "$spec" != "$name" ] && meta=${spec#*|}
        [ -n "$meta" ] || skip "package $name is not in the archive"
        # shellcheck disable=SC2086
        pkg=$(apt-cache $A depends "$meta" 2>/dev/null |
              sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
        [ -n "$pkg" ] && has_pkg "$pkg" || skip "neither $name nor a dependency of $meta is in the archive"
        echo "debian-fetch.sh: $name is gone from the archive; using $pkg (from $meta)" >&2
    fi
    rm -f "$apt/debs/${pkg}_"*.deb
    # shellcheck disable=SC2086
    if ! (cd "$apt/debs" && timeout 600 apt-get $A download "$pkg" > "$apt/download.log" 2>&1); then
        sed 's/^/debian-fetch.sh:   /' "$apt/download.log" | tail -n 5 >&2
        skip "downloading $pkg failed"
    fi
    deb=$(ls "$apt/debs/${pkg}_"*.deb | head -n 1)
    rm -rf "$dest"
    mkdir -p "$dest"
    if [ -n "$globs" ]; then
        set -f
        # shellcheck disable=SC2046
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" --wildcards $(printf '%s\n' "$globs" | sed '/^$/d')
        set +f
    else
        dpkg-deb -x "$deb" "$dest"
    fi
    dpkg-deb -f "$deb" Package Version > "$dest/.complete"
    rm -f "$deb"
    echo "$dest"
done
