"""Accuracy report: quote attribution on PolNeAR and target sentiment on NewsMTSC.

Run from the project root: ``python benchmarks/accuracy.py`` (or ``--only quotes`` /
``--only sentiment``).  The data are read by path from ``../shared/data/`` (override
with ``FRAMING_DATA_DIR``) and never copied into the project.  Each part prints its
figures beside a naive baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy_quotes  # noqa: E402
import accuracy_sentiment  # noqa: E402

PARTS = {"quotes": accuracy_quotes.main, "sentiment": accuracy_sentiment.main}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(PARTS), help="run one part")
    parser.add_argument("--json", action="store_true", help="print all figures as JSON at the end")
    args = parser.parse_args(argv)
    results = {}
    for name, part in PARTS.items():
        if args.only and name != args.only:
            continue
        print(f"== {name} ==", flush=True)
        results[name] = part([])
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return results


if __name__ == "__main__":
    main()
