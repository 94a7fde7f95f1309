#!/bin/sh
# appsnap-guest: inventory-probe/1
# AppSnap deep check, read-only: the OS, mounted file systems and the freeze/thaw
# scripts, printed as key=value lines (format: inventory-probe/1). Changes nothing.
echo "APPSNAP-PROBE/1"
echo "os.type=linux"
if [ -r /etc/os-release ]; then
  (. /etc/os-release; echo "os.id=${ID:-unknown}"; echo "os.version=${VERSION_ID:-unknown}"; echo "os.pretty=${PRETTY_NAME:-}")
fi
echo "kernel=$(uname -r)"
while read -r dev mp fstype rest; do
  case "$fstype" in
    proc|sysfs|devtmpfs|devpts|tmpfs|cgroup|cgroup2|securityfs|debugfs|tracefs|mqueue|hugetlbfs|autofs|pstore|bpf|configfs|fusectl|binfmt_misc|rpc_pipefs|selinuxfs|efivarfs|overlay|squashfs|nsfs|ramfs) continue ;;
  esac
  echo "mount=$mp|$fstype|$dev"
done < /proc/mounts
for f in /tmp/prescript.sh /tmp/postscript.sh; do
  if [ -f "$f" ]; then
    set -- $(stat -c '%U %G %a %s' "$f")
    if grep -q "$(printf '\r')" "$f"; then eol=crlf; else eol=lf; fi
    echo "file=$f|present|$1|$2|$(printf '%04d' "$3")|$4|$eol"
    # A key of its own (added in version 1), so older parsers skip it.
    if command -v sha256sum >/dev/null 2>&1; then
      echo "file.sha256=$f|$(sha256sum "$f" | cut -d ' ' -f 1)"
    fi
  else
    echo "file=$f|missing"
  fi
done
assist=/usr/local/share/aliyun-assist
version=$(ls "$assist" 2>/dev/null | grep -E '^[0-9]+(\.[0-9]+)+$' | sort -t. -k1,1n -k2,2n -k3,3n -k4,4n | tail -n 1)
echo "agent=installed|$version"
plugin=$(ls "$assist/plugin/app-snapshot-plugin" 2>/dev/null | tail -n 1)
echo "plugin=app-snapshot-plugin|${plugin:-absent}"
echo "END"
