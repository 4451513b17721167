#!/usr/bin/env bash
# Fails when a green test run's output holds an ERROR log line. Tests that provoke errors on purpose capture the
# loggers they expect (src/test/java/.../support/ExpectedLogs.java), so an ERROR line here is one nobody expected.
#   .ci/no-error-lines.sh target/verify-local.log
set -euo pipefail

if grep -nE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z? +ERROR ' "$1"; then
	echo "FAIL: the ERROR lines above were logged by a passing run ($1). Fix their cause, or, if a test provokes" >&2
	echo "them on purpose, capture their logger with ExpectedLogs in that test." >&2
	exit 1
fi
echo "No ERROR line in $1 ($(wc -l < "$1") lines)"
