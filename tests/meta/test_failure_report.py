#!/usr/bin/python3
"""meta.failure_report: scripts/failure-report prints a failed test's assertions among the last lines of its
output, even when the test's output is thousands of server log lines with the assertion buried among them (how
a CI log cut to its tail lost the assertion of postgres.backend).

Usage: test_failure_report.py SCRIPTS_DIR. Builds a CTest JUnit file by hand (the shape ctest --output-junit
writes: testcase name/status, <failure>, <system-out>), runs the script, checks its last 50 lines. Exit 1 on a
failed check."""
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

DASHES = "-" * 79
DOTS = "." * 79
LOG = '{"bytes":48,"client":"127.0.0.1","method":"POST","ms":0.46,"route":"/api/v1/test/clock","status":200}'


def catch2_block(case, section, line, expression, expansion):
    return [DASHES, case, "  " + section, DASHES, f"tests/backend/test_x.cpp:{line}", DOTS, "",
            f"tests/backend/test_x.cpp:{line + 7}: FAILED:", f"  REQUIRE( {expression} )", "with expansion:",
            f"  {expansion}", ""]


def junit(cases):
    rows = []
    for name, status, out in cases:
        failure = '<failure message="Failed"/>' if status == "fail" else ""
        rows.append(f'<testcase name="{name}" classname="x" time="1.0" status="{status}">{failure}'
                    f"<system-out>{escape(out)}</system-out></testcase>")
    return '<?xml version="1.0" encoding="UTF-8"?><testsuite name="x">' + "".join(rows) + "</testsuite>"


def main():
    scripts = sys.argv[1]
    catch2_out = ([LOG] * 300 + catch2_block("first failing case", "a section", 100, "reported == 1", "0 == 1")
                  + [LOG] * 2000 + catch2_block("second failing case", "other", 200, "mail.has_value()", "false")
                  + [LOG] * 500 + ["=" * 79, "test cases: 300 | 298 passed | 2 failed"])
    node_out = ["line %d of a node test" % i for i in range(400)] + ["AssertionError: expected 3, got 4"]
    cases = [("postgres.backend", "fail", "\n".join(catch2_out)), ("e2e.kiosk", "fail", "\n".join(node_out)),
             ("backend.passing", "run", "FAILED: never printed, the test passed")]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "junit.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(junit(cases))
        run = subprocess.run([os.path.join(scripts, "failure-report"), path], capture_output=True, text=True)
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}: {run.stderr}")
    lines = run.stdout.rstrip("\n").split("\n")
    report = {}
    current = None
    for line in lines:
        if line.startswith("==== failed: "):
            current = line.split()[2]
            report[current] = []
        elif current:
            report[current].append(line)
    if sorted(report) != ["e2e.kiosk", "postgres.backend"]:
        problems.append(f"reported tests {sorted(report)}, expected the two failed ones")
    pg = report.get("postgres.backend", [])
    for wanted in ["first failing case", "  a section", "  REQUIRE( reported == 1 )", "  0 == 1",
                   "second failing case", "  REQUIRE( mail.has_value() )", "  false"]:
        if wanted not in pg:
            problems.append(f"postgres.backend's report lacks {wanted!r}")
    if len(pg) > 50:
        problems.append(f"postgres.backend's report has {len(pg)} lines, more than 50")
    if any(line.startswith('{"') for line in lines):
        problems.append("a server log line is in the report")
    kiosk = report.get("e2e.kiosk", [])
    if not kiosk or kiosk[-1] != "AssertionError: expected 3, got 4":
        problems.append(f"e2e.kiosk's report does not end with its assertion: {kiosk[-1:]}")
    for p in problems:
        print("meta.failure_report:", p)
    print(f"meta.failure_report: {len(problems)} problem(s) in {len(lines)} lines of report")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
