#!/usr/bin/env bash
# Lints the served OpenAPI document with the two tools API users run on such documents, at the versions pinned in
# .ci/openapi-lint/package.json: Redocly CLI (recommended rules, strict) and Spectral (spectral:oas). Fails on any
# error or warning that the reviewed exception files beside them (.redocly.lint-ignore.yaml, .spectral.yaml) do not
# name.
#   .ci/openapi-lint.sh http://127.0.0.1:8080/v3/api-docs      (or a saved document)
set -euo pipefail
cd "$(dirname "$0")/.."
source="${1:?usage: .ci/openapi-lint.sh URL-or-file}"
lint=.ci/openapi-lint

mkdir -p target/openapi
if [[ "$source" == http* ]]; then
	curl -fsS "$source" -o target/openapi/openapi.json
else
	cp "$source" target/openapi/openapi.json
fi
[[ -x "$lint/node_modules/.bin/redocly" && -x "$lint/node_modules/.bin/spectral" ]] \
	|| npm ci --prefix "$lint" --no-audit --no-fund --loglevel=error

echo "Redocly $("$lint/node_modules/.bin/redocly" --version 2> /dev/null | tail -n 1):"
"$lint/node_modules/.bin/redocly" lint target/openapi/openapi.json --config "$lint/redocly.yaml" --format=summary 2>&1 \
	| grep -vE '^ *(║|╔|╚)|^$'
echo "Spectral $("$lint/node_modules/.bin/spectral" --version):"
"$lint/node_modules/.bin/spectral" lint target/openapi/openapi.json --ruleset "$lint/.spectral.yaml" --fail-severity=warn
