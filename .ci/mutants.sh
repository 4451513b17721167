#!/usr/bin/env bash
# Hand mutants: each patch in src/test/mutants/ breaks the service in one way and names, on its "Must fail:" line, the
# tests that must catch it ("Class" or "Class#method"; a "Maven:" line adds arguments). A mutant counts as caught only
# when each named test passed on the unpatched copy in this same run, and failed on the patched copy on an assertion
# (Surefire's Failures, not its Errors), or with an error holding the text of the patch's "Fails with:" line, where it
# has one. A test that cannot even start (no database, no Chromium, a context that fails, a cluster that does not
# come up) errors, and catches nothing. Outcomes are read from Surefire's XML reports (.ci/surefire-outcome.py).
#
# The unpatched runs are one Maven run per distinct "Maven:" line. Patches with a "Stage: ha" line need the Patroni
# cluster and PgBouncer (root and Debian's packages, which ha/cluster.sh and ha/pgbouncer.sh install): .ci/ha.sh runs
# them with --stage ha after its own unpatched run of the same tests, whose reports it hands over with --unpatched.
# Needs the test database (CUSTOMERS_TEST_R2DBC_URL, or Docker), as the suite does.
#
# Usage: .ci/mutants.sh [--stage ha] [--unpatched REPORTS_DIR] [patch ...]   (default: every patch of the stage)
set -euo pipefail
cd "$(dirname "$0")/.."

stage=""
given_unpatched=""
while [[ $# -gt 0 ]]; do
	case "$1" in
		--stage) stage="$2"; shift 2 ;;
		--unpatched) given_unpatched="$(realpath "$2")"; shift 2 ;;
		*) break ;;
	esac
done
patches=()
for patch in "$@"; do
	patches+=("$(realpath "$patch")")
done
if [[ $# -eq 0 ]]; then
	for patch in src/test/mutants/*.patch; do
		[[ "$(sed -n 's/^Stage: //p' "$patch")" == "$stage" ]] || continue
		patches+=("$(realpath "$patch")")
	done
fi
outcome_of="$PWD/.ci/surefire-outcome.py"
header() { sed -n "s/^$1: //p" "$2"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r pom.xml mvnw .mvn src ha "$work"/
cd "$work"
./mvnw -B -q -DskipTests test-compile

# run_tests REPORTS LOG TESTS [MAVEN_ARGUMENT ...]: one Maven run of TESTS; its XML reports are kept in REPORTS.
run_tests() {
	local reports="$1" log="$2" tests="$3"
	shift 3
	rm -rf target/surefire-reports "$reports"
	./mvnw -B test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=true "$@" > "$log" 2>&1 || true
	mkdir -p "$reports"
	cp target/surefire-reports/TEST-*.xml "$reports"/ 2> /dev/null || true
}

# The unpatched runs: every named test of the patches that share a "Maven:" line, in one run.
declare -A tests_by_arguments=() unpatched_by_arguments=() unpatched_log_by_arguments=()
for patch in "${patches[@]}"; do
	arguments="maven:$(header Maven "$patch")" # never empty: an array's key cannot be
	for test in $(header 'Must fail' "$patch"); do
		tests_by_arguments["$arguments"]+="${tests_by_arguments[$arguments]:+,}$test"
	done
done
run=0
for arguments in "${!tests_by_arguments[@]}"; do
	if [[ -n "$given_unpatched" ]]; then
		unpatched_by_arguments["$arguments"]="$given_unpatched"
		continue
	fi
	run=$((run + 1))
	read -r -a maven_args <<< "${arguments#maven:}"
	start=$SECONDS
	run_tests "$work/unpatched-$run" "$work/unpatched-$run.log" "${tests_by_arguments[$arguments]}" "${maven_args[@]}"
	unpatched_by_arguments["$arguments"]="$work/unpatched-$run"
	unpatched_log_by_arguments["$arguments"]="$work/unpatched-$run.log"
	printf 'unpatched run %d (%s): %d s\n' "$run" "${tests_by_arguments[$arguments]} ${arguments#maven:}" $((SECONDS - start))
done

results=()
status=0
for patch in "${patches[@]}"; do
	name=$(basename "$patch" .patch)
	read -r -a tests <<< "$(header 'Must fail' "$patch")"
	arguments="maven:$(header Maven "$patch")"
	read -r -a maven_args <<< "${arguments#maven:}"
	message="$(header 'Fails with' "$patch")"
	[[ ${#tests[@]} -gt 0 ]] || { echo "$name names no test that must fail" >&2; exit 1; }
	git apply "$patch" || { echo "$name no longer applies to the code it breaks: write it again against the code as it is" >&2; exit 1; }
	for test in "${tests[@]}"; do
		reports="$work/$name-${test//#/-}"
		start=$SECONDS
		run_tests "$reports" "$reports.log" "$test" "${maven_args[@]}"
		before="$("$outcome_of" "${unpatched_by_arguments[$arguments]}" "$test")"
		after="$("$outcome_of" "$reports" "$test" "$message")"
		results+=("$(printf '%-38s %-64s unpatched: %s, patched: %s %4d s' "$name" "$test" "$before" "$after" \
			$((SECONDS - start)))")
		printf '%s\n' "${results[-1]}"
		if [[ "$before" != passed ]]; then
			status=1
			echo "$test did not pass on the unpatched copy: it proves nothing about $name" >&2
			# Its failure as Surefire reported it, when this stage ran it (the cluster stage keeps its own log).
			grep -A 12 -E "${test//#/.}.* <<< (FAILURE|ERROR)!" "${unpatched_log_by_arguments[$arguments]:-/dev/null}" >&2 || true
		elif [[ "$after" != "failed on assertion" && "$after" != "failed with its message" ]]; then
			status=1
			tail -n 40 "$reports.log"
		fi
	done
	git apply -R "$patch"
done

printf '\n'
printf '%s\n' "${results[@]}"
caught=$(printf '%s\n' "${results[@]}" | grep -cE 'unpatched: passed, patched: failed (on assertion|with its message)' || true)
printf 'mutants: %d passed, %d failed\n' "$caught" $((${#results[@]} - caught))
exit $status
