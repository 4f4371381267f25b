#!/usr/bin/env bash
# Issue 20, must show 1: the release tarball (`make dist`) holds what deploy/README.md installs, and its binary runs
# on a bare Debian 12 (`make debian-root`: debootstrap --variant=minbase plus libsqlite3-0, zlib1g and libpq5) as a
# user without privileges: `api serve` answers /readyz, `api healthcheck` exits 0, and ldd names only libraries of
# glibc, libsqlite3, zlib, and libpq5 with what it depends on (issue 21). Prints what it found (the libraries, the highest GLIBC_ version the binary needs) and ends
# with "dist check: ok", or stops at the first failure with "dist check: FAILED: ..." and exit 1.
#
#   scripts/checks/dist_check.sh .build/dist/api-VERSION-linux-ARCH.tar.gz .tools/debian-root     (as root: chroot)
set -euo pipefail

fail() { echo "dist check: FAILED: $*" >&2; exit 1; }
[ $# -eq 2 ] || { echo "usage: $0 TARBALL DEBIAN_ROOT" >&2; exit 2; }
[ "$(id -u)" = 0 ] || fail "chroot needs root"
tarball=$(realpath "$1") root=$(realpath "$2")
[ -x "$root/usr/bin/ldd" ] || fail "$root is not a Debian root (make debian-root)"

[[ $(basename "$tarball") =~ ^api-(.+)-linux-(.+)\.tar\.gz$ ]] || fail "$tarball is not named api-VERSION-linux-ARCH.tar.gz"
version=${BASH_REMATCH[1]}
[ "${BASH_REMATCH[2]}" = "$(uname -m)" ] || fail "$tarball is for ${BASH_REMATCH[2]}, this machine is $(uname -m)"
folder=api-$version
nobody=65534:65534   # nobody:nogroup in Debian's base-passwd, so present in the bare root

# -- The tarball: one folder, exactly these files.
expected=$(printf "$folder/%s\n" api config.example.json deploy/Dockerfile deploy/README.md deploy/api.service \
    deploy/api.socket deploy/nginx.conf)
listing=$(tar -tzf "$tarball")
[ "$(grep -v '/$' <<<"$listing" | LC_ALL=C sort)" = "$expected" ] || fail "the tarball holds: $listing; expected: $expected"
! grep -qv "^$folder/" <<<"$listing" || fail "the tarball has entries outside $folder/: $listing"
echo "tarball: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB: $(tr '\n' ' ' <<<"$expected")"

# A folder of its own inside the root (the root is kept between runs); `inner` is its path as the chroot sees it.
work=$(mktemp -d "$root/tmp/dist-check.XXXXXX")
inner=${work#"$root"} pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" || true; fi
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
chmod 0755 "$work"   # mktemp's 0700 would keep nobody out
tar -xzf "$tarball" -C "$work"
binary=$work/$folder/api
sections=$(readelf --sections --wide "$binary")
! grep -q ' \.symtab ' <<<"$sections" || fail "the binary is not stripped"
echo "binary: $(stat -c %s "$binary") bytes, stripped"

# Runs `api ARGUMENTS` in the root as nobody, with only PATH and the leading API_* arguments in the environment.
# /proc is mounted for it (serve's process metrics read it), in a mount namespace of the command's own, so it
# vanishes when the command ends and nothing is ever left mounted in the root. It execs, so it is called in a subshell, where the pid stays api's.
in_root() {
    local -a variables=()
    while [[ $1 == API_* ]]; do variables+=("$1"); shift; done
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${variables[@]}" unshare --mount sh -c \
        'mount -t proc proc "$1/proc" && exec chroot --userspec="$0" "$@"' "$nobody" "$root" "$inner/$folder/api" "$@"
}

# The packages `$@` depend on, and theirs, as the root's dpkg records them (alternatives it lacks are skipped).
dependency_closure() {
    local -A seen=()
    local -a queue=("$@")
    while ((${#queue[@]})); do
        local package=${queue[0]}
        queue=("${queue[@]:1}")
        [[ -n ${seen[$package]:-} ]] && continue
        seen[$package]=1
        local depends
        depends=$(chroot "$root" dpkg-query -W -f='${Pre-Depends},${Depends}' "$package" 2>/dev/null) || continue
        queue+=($(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*)//; s/:any//; s/ //g' | grep -v '^$' || true))
    done
    echo " ${!seen[*]} "
}

# -- The libraries, as the root's own ldd resolves them, each owned by glibc, libsqlite3, zlib, or libpq5 and the
# packages it needs (OpenSSL, Kerberos, LDAP: what Debian's libpq is built with).
os=$(cat "$root/etc/debian_version")
libraries=$(chroot "$root" /usr/bin/ldd "$inner/$folder/api") || fail "ldd in the root: $libraries"
echo "ldd in Debian $os (minbase + libsqlite3-0 zlib1g libpq5):"
echo "$libraries"
! grep -q 'not found' <<<"$libraries" || fail "a library is missing from the root"
allowed=$(dependency_closure libc6 libsqlite3-0 zlib1g libpq5)
owners=""
for path in $(grep -o '/[^ ]*' <<<"$libraries"); do
    # Debian 12 merges /usr: dpkg knows each file under the one of its two names that its package ships.
    alias=$([[ $path == /usr/* ]] && echo "${path#/usr}" || echo "/usr$path")
    owner=$(chroot "$root" dpkg -S "$path" 2>/dev/null || chroot "$root" dpkg -S "$alias" 2>/dev/null) ||
        fail "no package of the root owns $path"
    owner=${owner%%:*}
    [[ $allowed == *" $owner "* ]] || fail "$path comes from $owner, not from glibc, libsqlite3, zlib or libpq5's dependencies"
    owners="$owners $(basename "$path")=$owner"
done
[[ $owners == *=libsqlite3-0* && $owners == *=zlib1g* && $owners == *=libpq5* ]] || fail "libsqlite3, zlib or libpq is not linked:$owners"
echo "packages:$owners"

# -- The glibc symbol versions the binary needs, against the root's glibc.
symbols=$(objdump -T "$binary")
needed=$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$symbols" | sort -uV | tail -1)
! grep -q 'GLIBCXX_' <<<"$symbols" || fail "the binary needs libstdc++ (GLIBCXX_ symbols)"
glibc=$(chroot "$root" getconf GNU_LIBC_VERSION)
[ "$(printf '%s\n' "${needed#GLIBC_}" "${glibc#glibc }" | sort -V | tail -1)" = "${glibc#glibc }" ] ||
    fail "the binary needs $needed, the root has $glibc"
echo "highest glibc symbol version needed: $needed (the root has $glibc); no GLIBCXX_ symbol"

reported=$(in_root version)
[[ $reported == *"$version"* ]] || fail "api version printed '$reported', the tarball is $version"
# Without /proc too: the arguments come from main's argv, not /proc/self/cmdline (serve still reads /proc for its
# process metrics, which every system and container has).
bare=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot --userspec="$nobody" "$root" "$inner/$folder/api" version)
[[ $bare == *"$version"* ]] || fail "api version without /proc printed '$bare'"
echo "api version, with and without /proc: $reported"

# -- The server, as nobody, with the tarball's example configuration and its database in a folder nobody owns.
install -d -o "${nobody%:*}" -g "${nobody#*:}" -m 0700 "$work/data"
in_root API_DATABASE_PATH="$inner/data/api.db" API_SERVER_PORT=0 serve --config "$inner/$folder/config.example.json" \
    >"$work/serve.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 300); do
    port=$(sed -n 's/.*"event":"server.started".*"port":\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || fail "api serve exited before it started: $(cat "$work/serve.log")"
    sleep 0.1
done
[ -n "$port" ] || fail "api serve did not start within 30 s: $(cat "$work/serve.log")"
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" = "${nobody%:*}" ] || fail "api serve runs as uid $uid"
echo "api serve: port $port, uid $uid, $(readlink "/proc/$pid/exe" | sed "s|^$root||")"

(in_root healthcheck --url "http://127.0.0.1:$port/readyz") || fail "api healthcheck --url in the root exited $?"
(in_root API_SERVER_PORT="$port" healthcheck --config "$inner/$folder/config.example.json") ||
    fail "api healthcheck --config in the root exited $?"
echo "api healthcheck in the root: exit 0 (with --url, and with the configuration)"
body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/readyz") || fail "curl /readyz from outside the root"
echo "curl /readyz from outside the root: $body"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" = 0 ] || fail "api serve exited $status on SIGTERM: $(cat "$work/serve.log")"
grep -q '"event":"server.stopped"' "$work/serve.log" || fail "no server.stopped in the log: $(cat "$work/serve.log")"
echo "SIGTERM: stopped, exit 0"
echo "dist check: ok"
