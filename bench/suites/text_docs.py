"""Suite ``text-docs``: suite ``text``'s three tasks on real documentation text.

Input: the CPython 3.11 standard library documentation bundled in data/sample/python_docs.jsonl
(2.7 MB of English docstrings and reference topics, see data/sample/README.md), repeated whole
until the requested size is reached (repeats add no new terms, so fitted vocabularies equal the
single copy's).
"""

import json
import math

from bench.runner import REPO_DIR, SuitePlan
from bench.suites.text import text_plan

TITLE = "Text vectorizers on CPython documentation: parafeat vs scikit-learn"
DEFAULT_SIZE_MB = 27.0
QUICK_SIZE_MB = 2.7
SAMPLE = REPO_DIR / "data" / "sample" / "python_docs.jsonl"


def prepare(size_mb: float, seed: int) -> SuitePlan:
    with open(SAMPLE, encoding="utf-8") as lines:
        sample = [json.loads(line)["text"] for line in lines]
    sample_mb = sum(len(d.encode("utf-8")) for d in sample) / 1e6
    copies = max(1, math.ceil(size_mb / sample_mb - 1e-9))
    return text_plan(
        sample * copies,
        TITLE,
        f"{SAMPLE.relative_to(REPO_DIR)} ({len(sample):,} documents, {sample_mb:.1f} MB) repeated "
        f"{copies} times; default vectorizer parameters",
        {"sample": str(SAMPLE.relative_to(REPO_DIR)), "copies": copies, "seed_unused": seed},
    )
