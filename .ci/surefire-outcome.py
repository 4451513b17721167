#!/usr/bin/env python3
"""What became of one test in a Surefire run, read from its XML reports (not from Maven's summary line, which
cannot tell a failed assertion from a test that could not even start).

    .ci/surefire-outcome.py REPORTS_DIR Class[#method] [MESSAGE]

Prints one of:
  passed                      every test case it names ran and passed
  failed on assertion         one of them failed (a Surefire <failure>: an AssertionError)
  failed with its message     one of them errored, and the error holds MESSAGE
  errored: <the message>      one of them errored otherwise (no database, a context that failed, a timeout ...)
  skipped                     one of them was skipped
  did not run                 the reports hold no such test case
"""
import glob
import sys
import xml.etree.ElementTree as ElementTree


def cases(reports, selector):
    test_class, _, method = selector.partition("#")
    for report in glob.glob(f"{reports}/TEST-*.xml"):
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            if case.get("classname", "").split(".")[-1] != test_class:
                continue
            name = case.get("name", "")
            # A parameterized method's cases are named "method(Type)[1]" or "method[1]".
            if method and name != method and not name.startswith((method + "(", method + "[")):
                continue
            yield case


def outcome(reports, selector, message):
    found = list(cases(reports, selector))
    if not found:
        return "did not run"
    if any(case.find("failure") is not None for case in found):
        return "failed on assertion"
    errors = [case.find("error") for case in found if case.find("error") is not None]
    if errors:
        texts = [(error.get("message") or "") + "\n" + (error.text or "") for error in errors]
        if message and any(message in text for text in texts):
            return "failed with its message"
        first = (errors[0].get("message") or errors[0].get("type") or "").strip().splitlines()
        return "errored: " + (first[0][:160] if first else "(no message)")
    if any(case.find("skipped") is not None for case in found):
        return "skipped"
    return "passed"


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    print(outcome(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else ""))
