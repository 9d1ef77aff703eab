"""Run Data to Insight's CIN census validator on an XML file; print the issues as JSON.

Usage (in this project's own environment): python run_cin.py FILE RULESET
Prints {"errors": [...], "queries": [...]}: rule codes ending in Q are queries (to check and
explain to the DfE), the others are errors.
"""

import importlib
import json
import logging
import sys
import xml.etree.ElementTree as ET

logging.disable(logging.CRITICAL)

from cin_validator import cin_validator  # noqa: E402


def main(path: str, ruleset: str) -> None:
    root = ET.parse(path).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    validator = cin_validator.CinValidator(data, registry)
    issues = []
    for _, row in validator.full_issue_df.iterrows():
        issues.append(
            {
                "code": str(row.get("rule_code")),
                "message": str(row.get("rule_description", "")),
                "child": str(row.get("child_id", "")),
                "table": str(row.get("tables_affected", "")),
                "fields": str(row.get("columns_affected", "")),
            }
        )
    for _, row in validator.multichild_issues.iterrows():
        issues.append(
            {
                "code": str(row.get("rule_code")),
                "message": str(row.get("rule_description", "")),
                "child": "",
                "table": "",
                "fields": "",
            }
        )
    errors = [i for i in issues if not i["code"].endswith("Q")]
    queries = [i for i in issues if i["code"].endswith("Q")]
    print(json.dumps({"errors": errors, "queries": queries}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
