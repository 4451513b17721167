#!/usr/bin/env bash
# Hand mutants: each patch in src/test/mutants/ breaks the service in one way and names, on its "Must fail:" line, the
# tests that must catch it ("Class" or "Class#method"; a "Maven:" line adds arguments). This applies each patch to a
# copy of the project, runs each named test alone, and fails unless every one of them fails on a test (a mutant that
# does not compile, or a test that does not run, fails this script too). Needs the test database, as the suite does.
# Usage: .ci/mutants.sh [patch ...]   (default: every patch)
set -euo pipefail
cd "$(dirname "$0")/.."

patches=("$@")
[[ ${#patches[@]} -gt 0 ]] || patches=(src/test/mutants/*.patch)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r pom.xml mvnw .mvn src ha "$work"/
patches=("${patches[@]/#/$PWD/}")
cd "$work"
./mvnw -B -q -DskipTests test-compile

outcome() {
	local log="$1"
	local totals
	totals=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" | tail -n 1)
	if [[ -z "$totals" ]]; then
		echo "did not run"
		return
	fi
	local run failed
	run=$(sed -E 's/.*Tests run: ([0-9]+),.*/\1/' <<< "$totals")
	failed=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/' <<< "$totals" | awk '{print $1 + $2}')
	if [[ "$run" -eq 0 ]]; then
		echo "did not run"
	elif [[ "$failed" -gt 0 ]]; then
		echo "caught"
	else
		echo "SURVIVED"
	fi
}

results=()
status=0
for patch in "${patches[@]}"; do
	name=$(basename "$patch" .patch)
	read -r -a tests <<< "$(sed -n 's/^Must fail: //p' "$patch")"
	read -r -a maven_args <<< "$(sed -n 's/^Maven: //p' "$patch")"
	[[ ${#tests[@]} -gt 0 ]] || { echo "$name names no test that must fail" >&2; exit 1; }
	git apply "$patch" || { echo "$name no longer applies to the code it breaks: write it again against the code as it is" >&2; exit 1; }
	for test in "${tests[@]}"; do
		log="$work/$name-${test//#/-}.log"
		start=$SECONDS
		./mvnw -B test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=true "${maven_args[@]}" > "$log" 2>&1 || true
		result=$(outcome "$log")
		results+=("$(printf '%-40s %-90s %-12s %4d s' "$name" "$test" "$result" $((SECONDS - start)))")
		printf '%s\n' "${results[-1]}"
		if [[ "$result" != caught ]]; then
			status=1
			tail -n 40 "$log"
		fi
	done
	git apply -R "$patch"
done

printf '\n%s\n' "${results[@]}"
caught=$(printf '%s\n' "${results[@]}" | grep -c ' caught ' || true)
printf 'mutants: %d passed, %d failed\n' "$caught" $((${#results[@]} - caught))
exit $status
