#!/bin/bash
# Generates registry credentials into an in-memory folder: a random password, its bcrypt htpasswd entry and the
# registry's HTTP secret. Nothing is printed. Env: REGISTRY_USER. Output folder: /credentials.
set -euo pipefail
umask 077
out=/credentials
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
printf '%s' "$REGISTRY_USER" > "$out/username"
random_hex 24 > "$out/password"
random_hex 32 > "$out/http-secret"
# -i reads the password from stdin, so it never appears in a process list.
htpasswd -iBc "$out/htpasswd" "$REGISTRY_USER" < "$out/password" 2>/dev/null
echo "generated candidate credentials for $REGISTRY_USER"
