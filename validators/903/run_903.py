"""Run Data to Insight's SSDA903 validator on a folder of return CSVs; print the errors as JSON.

Usage (in this project's own environment):
    python run_903.py DIR RULESET COLLECTION_YEAR LA_CODE [LAST_YEAR_DIR]
LAST_YEAR_DIR, when given, holds the previous collection year's CSVs: the rules that compare two
years (for example 199, 205B) then run over both.
Prints {"errors": [{"table", "row", "child", "code", "message", "fields"}...], "rules_run": n,
"rules_not_run": [codes], "rules_skipped": n}: a rule that raises on the files is not run (the
validator logs it and goes on), and is listed in "rules_not_run" rather than counted as passed;
"rules_skipped" counts the rules left out because a table they need (Missing, OC2, AD1 and the
other files the service does not produce) is absent.
"""

import importlib
import json
import logging
import sys
from pathlib import Path

logging.disable(logging.CRITICAL)

from lac_validator import lac_validator  # noqa: E402
from lac_validator.utils import process_uploaded_files  # noqa: E402


def main(folder: str, ruleset: str, collection_year: str, la_code: str, last: str = "") -> None:
    files = {"This year": sorted(str(p) for p in Path(folder).glob("*.csv"))}
    if last:
        files["Prev year"] = sorted(str(p) for p in Path(last).glob("*.csv"))
    uploaded = process_uploaded_files(files)
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": collection_year, "localAuthority": la_code},
        files=uploaded,
        registry=registry,
        selected_rules=None,
    )
    messages = {str(rule.code): rule for _, rule in registry.items()}
    errors = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
            code = column[4:]
            rule = messages.get(code)
            for row in frame.index[frame[column].fillna(False).astype(bool)]:
                errors.append(
                    {
                        "table": table,
                        "row": int(row),
                        "child": str(frame.at[row, "CHILD"]) if "CHILD" in frame else "",
                        "code": code,
                        "message": rule.message if rule else "",
                        "fields": sorted(rule.affected_fields) if rule else [],
                    }
                )
    print(
        json.dumps(
            {
                "errors": errors,
                "rules_run": len(validator.dones),
                "rules_not_run": sorted(set(map(str, validator.fails))),
                "rules_skipped": len(validator.skips),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
