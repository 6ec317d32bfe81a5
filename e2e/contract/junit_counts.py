"""Counts schemathesis's JUnit reports per operation of the OpenAPI document.

An operation passes when schemathesis tested it and recorded no failure or error. An operation
it skipped, or one the report does not mention at all, fails: the run must cover every operation.
Names of the operations that failed go to standard error; standard output gets `PASSED FAILED`.

Usage: python junit_counts.py REPORT.xml [REPORT.xml ...] OPENAPI.json
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ElementTree

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def documented_operations(spec_path: str) -> list[str]:
    with open(spec_path, encoding="utf-8") as spec_file:
        spec = json.load(spec_file)
    return [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    ]


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    *report_paths, spec_path = sys.argv[1:]
    operations = documented_operations(spec_path)
    seen: dict[str, set[str]] = {operation: set() for operation in operations}
    cases = []
    for report_path in report_paths:
        try:
            cases.extend(ElementTree.parse(report_path).getroot().iter("testcase"))
        except (OSError, ElementTree.ParseError) as error:
            print(f"no schemathesis report {report_path}: {error}", file=sys.stderr)
    for case in cases:
        if case.find("failure") is not None or case.find("error") is not None:
            result = "failed"
        elif case.find("skipped") is not None:
            result = "skipped"
        else:
            result = "passed"
        # A stateful scenario names a chain of operations; its failures count against each.
        for step in case.get("name", "").split(" -> "):
            if step.strip() in seen:
                seen[step.strip()].add(result)
    outcome = {
        operation: next((r for r in ("failed", "passed", "skipped") if r in results), "not tested")
        for operation, results in seen.items()
    }
    failed = [operation for operation, result in outcome.items() if result != "passed"]
    for operation in failed:
        print(f"FAIL {operation}: {outcome[operation]}", file=sys.stderr)
    print(len(operations) - len(failed), len(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
