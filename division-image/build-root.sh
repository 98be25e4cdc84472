#!/usr/bin/env bash
# Lays out the file system the gateway image is built on, in the directory given (Jib adds it as
# one layer onto `scratch`): a jlinked Java 17 runtime in /opt/java, the shared libraries it loads
# (taken from this machine, found with ldd), the JDK's CA certificates, an unprivileged user and a
# /tmp. No base image is pulled, so the image builds without a registry; the price is that the
# libraries are this machine's (glibc on x86_64 Linux), which the build checks.
set -euo pipefail
out="${1:?usage: build-root.sh OUTPUT_DIR [JAVA_HOME]}"
jdk="${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"

die() { echo "build-root.sh: $*" >&2; exit 1; }
[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] || die "builds on x86_64 Linux only (this is $(uname -s)/$(uname -m))"
[[ -x "$jdk/bin/jlink" && -d "$jdk/jmods" ]] || die "$jdk is not a JDK with jlink and jmods"
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
[[ "$major" == 17 ]] || die "$jdk is Java $major; the image runs Java 17 (set JAVA_HOME)"

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp"
# The modules the gateway and div use (jdeps over div.jar, plus what is loaded reflectively:
# EC keys for TLS, JNDI DNS, JMX for the JVM's own metrics). No java.desktop: Jackson and
# SnakeYAML only use java.beans when it is there.
"$jdk/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.naming.dns,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/java"

# Debian's JDK keeps its trust store and security files as links into /etc, which jlink drops.
for f in cacerts blocked.certs default.policy public_suffix_list.dat; do
  src="$(readlink -f "$jdk/lib/security/$f" || true)"
  [[ -f "$src" ]] || die "$jdk/lib/security/$f is missing (cacerts comes with ca-certificates-java)"
  cp "$src" "$out/opt/java/lib/security/$f"
done

# Every shared library the runtime's binaries need, at the path the loader looks for it.
libs=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
for lib in $libs; do
  case "$lib" in "$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
[[ -f "$out/lib64/ld-linux-x86-64.so.2" ]] || die "the dynamic loader was not found by ldd"
# sqlite-jdbc's native library, extracted at run time, needs libm and libc only (both above).

cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
mkdir -p "$out/home/nonroot"
echo "built $out from $jdk ($(du -sh "$out" | cut -f1))"
