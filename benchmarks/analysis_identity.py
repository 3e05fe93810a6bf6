"""Does a change to the analysis keep its output byte for byte?  Dump, then check.

Usage:
    .venv/bin/python benchmarks/analysis_identity.py dump  /tmp/gold.jsonl [--corpus DIR]
    # ... change the code ...
    .venv/bin/python benchmarks/analysis_identity.py check /tmp/gold.jsonl [--corpus DIR]

Analyses every text of ``seeds/`` plus up to 400 files sampled evenly from ``--corpus``
(for instance the resampled corpus ``benchmarks/load.py --keep DIR`` leaves in
``DIR/corpus``) and compares each ``Analysis.to_dict()`` as sorted JSON.  Speed work on the
pipeline (session 3: actors, mention sentiment) was held to ``identical``.  Also prints the
CPU time of the pass, which is only a rough figure: compare stages with
``analysis_profile.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing.pipeline import ingest  # noqa: E402
from datasette_framing.pipeline.analyze import analyze_source  # noqa: E402


def _inputs(corpus: Path | None, sample: int) -> list[Path]:
    paths = [ROOT / "seeds"]
    if corpus:
        files = sorted(p for p in corpus.rglob("*") if p.is_file())
        paths += files[:: max(1, len(files) // sample)][:sample]
    return paths


def analyses(corpus: Path | None, sample: int) -> list[str]:
    out = []
    for src in ingest.read_paths(_inputs(corpus, sample)):
        if isinstance(src, ingest.LoadError):
            raise SystemExit(f"cannot read {src}")
        out.append(json.dumps(analyze_source(src).to_dict(), sort_keys=True, ensure_ascii=False, default=str))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("dump", "check"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--corpus", type=Path, help="a folder of articles to sample besides seeds/")
    parser.add_argument("--sample", type=int, default=400, help="files taken from --corpus (default 400)")
    args = parser.parse_args()
    t = time.process_time()
    out = analyses(args.corpus, args.sample)
    cpu = time.process_time() - t
    if args.mode == "dump":
        args.file.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"dumped {len(out)} analyses to {args.file} (CPU {cpu:.1f} s)")
        return 0
    gold = args.file.read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(out, gold)) if a != b]
    if len(out) != len(gold) or differ:
        print(f"DIFFERENT: {len(differ)} of {len(out)} analyses differ ({len(gold)} stored); first: {differ[:5]}")
        return 1
    print(f"identical: {len(out)} analyses (CPU {cpu:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
