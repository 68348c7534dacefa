#!/usr/bin/env bash
# The shell logic of the participation-auditor GitHub Action (action.yml at the repository
# root), one function per step, so that a test or a person can run the very same commands
# outside GitHub:
#
#   AUDIT_CONFIG=journeys.yml AUDIT_BASE_URL=http://127.0.0.1:8765 \
#     bash auditor/ci/action_steps.sh audit
#
# Steps, in the order action.yml runs them: install, browser, audit, check, summary, gate.
# Inputs come as environment variables (action.yml maps each action input to one), never
# interpolated into the script text: a URL or a file name cannot inject shell code.
#
#   AUDIT_ACTION_PATH   where the action (this repository) is checked out    [install]
#   AUDIT_PYTHON        the Python to use (default: python)                  [all]
#   AUDIT_BROWSER_PATH  Chrome/Chromium executable; empty: let the tool find one
#   AUDIT_CONFIG        journey file (YAML)  } one of the two                [audit]
#   AUDIT_URLS          URLs, separated by spaces or new lines }
#   AUDIT_BASE_URL      audit this base URL instead of the journey file's    [audit]
#   AUDIT_PROFILE       rule profile (default, strict or your own)           [audit, check]
#   AUDIT_LANG          report language: fr, en or empty (auto)              [audit, check]
#   AUDIT_OUT           output folder (default: audit-results)               [audit, check, summary]
#   AUDIT_POLICY        CI policy: preset name or file (default: default)    [check]
#   AUDIT_BASELINE      baseline file (optional)                             [check]
#   AUDIT_FAIL_ON       error | warn | never (default: error)                [audit, gate]
#   AUDIT_RUN_EXIT, AUDIT_POLICY_EXIT, AUDIT_WARNINGS: outputs of audit and check  [gate]
#
# Results go to $GITHUB_OUTPUT (step outputs) and $GITHUB_STEP_SUMMARY when they are set,
# as GitHub sets them; elsewhere the summary goes to standard output.
#
# Exit codes follow the auditor's: 1 a budget failed, 2 usage or configuration, 3 a journey
# broke, 4 no browser. `audit` and `check` do not fail on audit results (1 or 3): the
# summary and the report must still be published; `gate`, the last step, fails the job.
set -euo pipefail

PY="${AUDIT_PYTHON:-python}"

# --------------------------------------------------------------------------- plumbing

# GitHub turns "::error::" lines into annotations; elsewhere they are plain messages.
annotate() {
  local level="$1"
  shift
  if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
    printf '::%s::%s\n' "$level" "$*"
  else
    printf '%s: %s\n' "$level" "$*" >&2
  fi
}

die() {
  local code="$1"
  shift
  annotate error "$*"
  exit "$code"
}

# A step output (single-line values only: paths and numbers).
set_output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

out_dir() {
  printf '%s' "${AUDIT_OUT:-audit-results}"
}

check_fail_on() {
  case "${AUDIT_FAIL_ON:-error}" in
    error | warn | never) ;;
    *) die 2 "fail-on '${AUDIT_FAIL_ON}': choose error, warn or never" ;;
  esac
}

# --------------------------------------------------------------------------- steps

# Install the tool from the action's own checkout: the action and the tool are one version.
install() {
  local source="${AUDIT_ACTION_PATH:-}"
  if [[ -z "$source" ]]; then
    source="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  fi
  "$PY" -m pip install --disable-pip-version-check --no-input --quiet "$source"
  "$PY" -m auditor --version
}

# Say which browser will be used, before spending time on anything else. The tool never
# downloads one: GitHub's Ubuntu runners have Google Chrome, which it finds on the PATH.
browser() {
  local found
  if ! found="$("$PY" - <<'PYTHON'
import os
import sys

from auditor.browser import BrowserNotFound, browser_version, find_browser

try:
    location = find_browser(os.environ.get("AUDIT_BROWSER_PATH") or None)
except BrowserNotFound as exc:
    print(exc, file=sys.stderr)
    sys.exit(4)
print(location.path)
print(f"browser: {location.path} ({browser_version(location.path) or 'version unknown'}, "
      f"found by {location.source})", file=sys.stderr)
PYTHON
  )"; then
    die 4 "no browser found: set the action's browser-path input to a Chrome or Chromium executable"
  fi
  set_output path "$found"
}

# Run the journeys (or pages) and write the reports. A broken journey (exit 3) is a result,
# not a crash: the run is saved and the next steps report it; `gate` fails the job later.
audit() {
  check_fail_on
  local out
  out="$(out_dir)"
  local -a args=()
  if [[ -n "${AUDIT_CONFIG:-}" ]]; then
    args+=("$AUDIT_CONFIG")
    if [[ -n "${AUDIT_BASE_URL:-}" ]]; then
      args+=(--base-url "$AUDIT_BASE_URL")
    fi
  elif [[ -n "${AUDIT_URLS:-}" ]]; then
    local -a urls=()
    read -r -d '' -a urls <<<"$AUDIT_URLS" || true
    args+=("${urls[@]}")
  else
    die 2 "give the 'config' input (a journey file) or the 'urls' input"
  fi
  if [[ -n "${AUDIT_BROWSER_PATH:-}" ]]; then
    args+=(--browser-path "$AUDIT_BROWSER_PATH")
  fi
  set_output report-dir "$out"
  local code=0
  "$PY" -m auditor run "${args[@]}" --out "$out" || code=$?
  set_output exit-code "$code"
  case "$code" in
    0) ;;
    3) annotate warning "a journey broke before its end: the report shows where (exit 3)" ;;
    *) die "$code" "auditor run failed (exit $code): see the messages above" ;;
  esac
  # `auditor run` scored with the default profile in the platform's language; another
  # profile or language means scoring the saved run again (no browser, a few seconds).
  if [[ -n "${AUDIT_PROFILE:-}" || -n "${AUDIT_LANG:-}" ]]; then
    local -a report_args=("$out")
    if [[ -n "${AUDIT_PROFILE:-}" ]]; then
      report_args+=(--profile "$AUDIT_PROFILE")
    fi
    if [[ -n "${AUDIT_LANG:-}" ]]; then
      report_args+=(--lang "$AUDIT_LANG")
    fi
    "$PY" -m auditor report "${report_args[@]}"
  fi
}

# Judge the run by the CI policy and write JUnit, SARIF and the Markdown summary. Exit 0, 1
# (a budget failed) and 3 (a journey broke: the policy says so first) are all results: the
# exit code goes to the outputs for `gate`.
check() {
  local out
  out="$(out_dir)"
  local -a args=("$out" --policy "${AUDIT_POLICY:-default}"
    --junit "$out/junit.xml" --sarif "$out/results.sarif" --markdown "$out/policy-summary.md")
  if [[ -n "${AUDIT_BASELINE:-}" ]]; then
    args+=(--baseline "$AUDIT_BASELINE")
  fi
  # `auditor check` scores the saved run again: same profile and language as the reports.
  if [[ -n "${AUDIT_PROFILE:-}" ]]; then
    args+=(--profile "$AUDIT_PROFILE")
  fi
  if [[ -n "${AUDIT_LANG:-}" ]]; then
    args+=(--lang "$AUDIT_LANG")
  fi
  local code=0
  # `auditor check` also appends its summary to $GITHUB_STEP_SUMMARY when set; the `summary`
  # step writes it instead (once, and even when the check broke), so it is unset here.
  env -u GITHUB_STEP_SUMMARY "$PY" -m auditor check "${args[@]}" || code=$?
  set_output policy-exit-code "$code"
  set_output junit-file "$out/junit.xml"
  set_output sarif-file "$out/results.sarif"
  set_output markdown-file "$out/policy-summary.md"
  case "$code" in
    0 | 1 | 3) ;;
    *) die "$code" "auditor check failed (exit $code): see the messages above" ;;
  esac
  set_output warnings "$(budget_warnings "$out/junit.xml")"
}

# Budgets at "warn" level, read from the JUnit file's budgets suite (its "warn" property):
# `fail-on: warn` needs them and `auditor check` exits 0 on warnings.
budget_warnings() {
  "$PY" - "$1" <<'PYTHON'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0)
    sys.exit()
for suite in root.iter("testsuite"):
    if suite.get("name") == "budgets":
        for prop in suite.iter("property"):
            if prop.get("name") == "warn":
                print(int(prop.get("value") or 0))
                sys.exit()
print(0)
PYTHON
}

# The Markdown summary on the workflow run's page: the scorecard's (grades, main problems,
# written by `audit`), then the policy's verdict if `check` wrote one. When the policy's file
# already holds the scorecard's summary (its first line), it is written alone.
summary() {
  local out
  out="$(out_dir)"
  local scorecard="$out/summary.md" policy="$out/policy-summary.md"
  local -a parts=()
  if [[ -s "$scorecard" ]]; then
    if [[ ! -s "$policy" ]] || ! grep -qxF -- "$(head -n 1 "$scorecard")" "$policy"; then
      parts+=("$scorecard")
    fi
  fi
  if [[ -s "$policy" ]]; then
    parts+=("$policy")
  fi
  if [[ ${#parts[@]} -eq 0 ]]; then
    annotate warning "no Markdown summary in $out: nothing to show"
    return 0
  fi
  local target="${GITHUB_STEP_SUMMARY:-/dev/stdout}" part
  for part in "${parts[@]}"; do
    {
      cat "$part"
      printf '\n'
    } >>"$target"
  done
}

# Fail the job, last, as the policy says: after the summary and the artifacts are published.
gate() {
  check_fail_on
  local fail_on="${AUDIT_FAIL_ON:-error}"
  local run_code="${AUDIT_RUN_EXIT:-0}"
  local policy_code="${AUDIT_POLICY_EXIT:-}"
  local warnings="${AUDIT_WARNINGS:-0}"
  if [[ ! "$warnings" =~ ^[0-9]+$ ]]; then
    warnings=0
  fi
  if [[ ! "$run_code" =~ ^[0-9]+$ ]]; then
    die 2 "the audit step's exit code is not a number: '$run_code'"
  fi
  case "$policy_code" in
    0 | 1 | 3) ;;
    "") die 2 "the check step left no exit code: did it run?" ;;
    # Not a verdict but a broken check (bad policy file...): fails even with fail-on never.
    *) die "$policy_code" "auditor check ended with exit $policy_code" ;;
  esac
  if [[ "$fail_on" == "never" ]]; then
    echo "fail-on is 'never': not failing (policy exit $policy_code, audit exit $run_code)"
    return 0
  fi
  if [[ "$policy_code" == "1" ]]; then
    die 1 "the policy failed: see the summary and the budgets in junit.xml"
  fi
  if [[ "$policy_code" == "3" || "$run_code" == "3" ]]; then
    die 3 "a journey broke before its end: see the report"
  fi
  if [[ "$run_code" != "0" ]]; then
    die "$run_code" "the audit ended with exit $run_code"
  fi
  if [[ "$fail_on" == "warn" && "$warnings" -gt 0 ]]; then
    die 1 "$warnings budget(s) at warning level, and fail-on is 'warn'"
  fi
  echo "policy passed"
}

main() {
  case "${1:-}" in
    install | browser | audit | check | summary | gate) "$1" ;;
    *)
      echo "usage: action_steps.sh install|browser|audit|check|summary|gate" >&2
      exit 2
      ;;
  esac
}

main "$@"
