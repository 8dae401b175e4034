#!/usr/bin/python3
"""meta.failure_report: scripts/failure-report names a failed test's assertions among the last lines it prints,
even when the test's output is thousands of server log lines (JSON request lines and plain stderr lines) with
the assertions buried among them — how a CI log cut to its tail lost the assertion of postgres.backend.

Usage: test_failure_report.py SCRIPTS_DIR. Builds CTest JUnit files by hand (the shape ctest --output-junit
writes: testcase name/status, <failure>, <system-out>; the Catch2 console reporter's blocks), runs the script,
checks what it prints. Exit 1 on a failed check."""
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

DASHES = "-" * 79
DOTS = "." * 79
LOG = '{"bytes":48,"client":"127.0.0.1","method":"POST","ms":0.46,"route":"/api/v1/test/clock","status":200}'
STDERR = "watch: 3 windows reported up to 2026-11-21T12:30:00+09:00 (0 late), 6 mails"


def catch2_block(case, section, line, expression, expansion):
    return [DASHES, case, "  " + section, DASHES, f"tests/backend/test_x.cpp:{line}", DOTS, "",
            f"tests/backend/test_x.cpp:{line + 7}: FAILED:", f"  REQUIRE( {expression} )", "with expansion:"] + [
                f"  {e}" for e in expansion] + [""]


def junit(cases):
    rows = []
    for name, status, out in cases:
        failure = '<failure message="Failed"/>' if status == "fail" else ""
        rows.append(f'<testcase name="{name}" classname="x" time="1.0" status="{status}">{failure}'
                    f"<system-out>{escape(out)}</system-out></testcase>")
    return '<?xml version="1.0" encoding="UTF-8"?><testsuite name="x">' + "".join(rows) + "</testsuite>"


def run(scripts, cases):
    """The script's output for a JUnit file of `cases`, as {test name: its report lines}, and problems."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "junit.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(junit(cases))
        done = subprocess.run([os.path.join(scripts, "failure-report"), path], capture_output=True, text=True)
    problems = [] if done.returncode == 0 else [f"exit status {done.returncode}: {done.stderr}"]
    report, current = {}, None
    for line in done.stdout.rstrip("\n").split("\n"):
        if line.startswith("==== failed: "):
            current = line.split()[2]
            report[current] = []
        elif current:
            report[current].append(line)
        if line.startswith('{"'):
            problems.append("a server log line is in the report")
    return report, problems


def expect(problems, lines, wanted, what):
    for w in wanted:
        if not any(w in line for line in lines):
            problems.append(f"{what}: no line with {w!r}")


def main():
    scripts = sys.argv[1]
    problems = []
    # Two failures buried in JSON and plain stderr lines; the second's expansion is 200 lines long.
    catch2_out = ([LOG] * 300 + catch2_block("first failing case", "a section", 100, "reported == 1", ["0 == 1"])
                  + [STDERR, LOG] * 1000
                  + catch2_block("second failing case", "other", 200, "mail.has_value()",
                                 [f"body line {k}" for k in range(200)])
                  + [STDERR] * 30 + [LOG] * 500 + ["=" * 79, "test cases: 300 | 298 passed | 2 failed"])
    node_out = ["line %d of a node test" % i for i in range(400)] + ["AssertionError: expected 3, got 4"]
    report, found = run(scripts, [("postgres.backend", "fail", "\n".join(catch2_out)),
                                  ("e2e.kiosk", "fail", "\n".join(node_out)),
                                  ("backend.passing", "run", "FAILED: never printed, the test passed")])
    problems += found
    if sorted(report) != ["e2e.kiosk", "postgres.backend"]:
        problems.append(f"reported tests {sorted(report)}, expected the two failed ones")
    pg = report.get("postgres.backend", [])
    if len(pg) > 50:
        problems.append(f"postgres.backend's report has {len(pg)} lines, more than 50")
    expect(problems, pg, ["first failing case", "a section", "test_x.cpp:107: FAILED:", "REQUIRE( reported == 1 )",
                          "0 == 1", "second failing case", "REQUIRE( mail.has_value() )", "body line 0"],
           "postgres.backend")
    if any(STDERR in line for line in pg):
        problems.append("a server's stderr line is in the report")
    index = [line for line in pg if line.startswith("- ")]
    if len(index) != 2 or "reported == 1" not in index[0] or "mail.has_value()" not in index[1]:
        problems.append(f"the index is not the two assertions in order: {index}")
    kiosk = report.get("e2e.kiosk", [])
    if not kiosk or kiosk[-1] != "AssertionError: expected 3, got 4":
        problems.append(f"e2e.kiosk's report does not end with its assertion: {kiosk[-1:]}")

    # 30 failures: the index (last) names the first 20 and counts the rest, within 50 lines.
    many = []
    for k in range(30):
        many += catch2_block(f"case {k}", "s", 10 * k, f"value_{k} == 1", ["0 == 1"]) + [STDERR]
    report, found = run(scripts, [("backend.many", "fail", "\n".join(many))])
    problems += found
    lines = report.get("backend.many", [])
    if len(lines) > 50:
        problems.append(f"backend.many's report has {len(lines)} lines, more than 50")
    expect(problems, lines[-22:], ["value_0 == 1", "value_19 == 1", "and 10 more"], "backend.many's index")

    # A run killed by its timeout: no failure block, its last lines.
    killed = [LOG] * 100 + ["the last words of a killed run"] + [LOG] * 10
    report, found = run(scripts, [("postgres.backend", "fail", "\n".join(killed))])
    problems += found
    expect(problems, report.get("postgres.backend", []), ["the last words of a killed run"], "a killed run")

    for p in problems:
        print("meta.failure_report:", p)
    print(f"meta.failure_report: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
