"""Suite ``text``: parafeat's text vectorizers against scikit-learn's, side by side in one run.

Input: the generated corpus of suite ``text-hashing`` (Zipf-distributed words over a
mixed-script vocabulary; see bench/suites/text_hashing.py), as a list of str in memory. Three
tasks, each run by scikit-learn and by parafeat with 1 and 2 threads, default parameters:
``CountVectorizer().fit_transform(docs)``, ``TfidfVectorizer().fit_transform(docs)`` and
``HashingVectorizer().transform(docs)``. Every parafeat output must equal scikit-learn's bit for
bit (matrices; fitted vocabularies are compared by the oracle tests).

A fourth contender per task measures the machine's ceiling for the 2-thread goal: parafeat at 1
thread in each of two processes, each holding every other document, both at once (see
bench/split_processes.py). Its output is two halves' matrices, compared with nothing.
"""

import functools

from bench.measure import first_csr_difference
from bench.runner import UNCHECKED, Contender, Goal, SuitePlan
from bench.split_processes import SplitAcrossProcesses
from bench.suites.text_hashing import make_corpus

TITLE = "Text vectorizers: parafeat vs scikit-learn"
DEFAULT_SIZE_MB = 200.0
QUICK_SIZE_MB = 2.0
# At least two documents, one for each process of the ceiling contender (an empty part has no
# vocabulary to fit): make_corpus stops at the first document past the size, and a generated
# document is under 0.06 MB (at most 2,000 words of at most 30 bytes).
MIN_SIZE_MB = 0.1
THREADS = (1, 2)
TASKS = ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer")
SPEED_GOAL = 50.0  # parafeat at 2 threads over scikit-learn, per task
SCALING_GOAL = 1.9  # parafeat at 2 threads over 1 thread, per task


def _run(vectorizer, documents):
    if type(vectorizer).__name__ == "HashingVectorizer":
        return lambda: vectorizer.transform(documents)
    return lambda: vectorizer.fit_transform(documents)


def _parafeat_on_part(task: str, documents: list):
    """parafeat's ``task`` at 1 thread on ``documents``: the work of one split process."""
    from parafeat import text as parafeat_text

    return _run(getattr(parafeat_text, task)(n_jobs=1), documents)()


def text_plan(documents, title, description, input_record) -> SuitePlan:
    """The three tasks on ``documents``: contenders, references and goals."""
    from sklearn.feature_extraction import text as sklearn_text

    from parafeat import text as parafeat_text

    halves = SplitAcrossProcesses([documents[0::2], documents[1::2]])
    contenders, goals = [], []
    for task in TASKS:
        sklearn = Contender(
            f"scikit-learn {task}", _run(getattr(sklearn_text, task)(), documents)
        )
        ours = {
            threads: Contender(
                f"parafeat {task}",
                _run(getattr(parafeat_text, task)(n_jobs=threads), documents),
                threads,
                reference=sklearn,
            )
            for threads in THREADS
        }
        split = Contender(
            f"parafeat {task}, every other document per process",
            functools.partial(halves.run, functools.partial(_parafeat_on_part, task)),
            threads=1,
            reference=UNCHECKED,
            processes=2,
            cpu_clock=halves.cpu_seconds,
        )
        contenders += [sklearn, *ours.values(), split]
        most, least = ours[max(THREADS)], ours[min(THREADS)]
        goals += [
            Goal(most, sklearn, SPEED_GOAL),
            Goal(most, least, SCALING_GOAL),
            Goal(split, least, SCALING_GOAL),
        ]
    return SuitePlan(
        title=title,
        description=description,
        input=input_record,
        input_bytes=sum(len(d.encode("utf-8")) for d in documents),
        input_items=len(documents),
        item_unit="docs",
        contenders=contenders,
        reference=contenders[0],
        first_difference=first_csr_difference,
        goals=goals,
        close=halves.close,
    )


def prepare(size_mb: float, seed: int) -> SuitePlan:
    documents = make_corpus(size_mb, seed)
    return text_plan(
        documents,
        TITLE,
        f"generated corpus of suite text-hashing (seed {seed}); default vectorizer parameters; "
        "CountVectorizer and TfidfVectorizer fit_transform, HashingVectorizer transform; "
        "input: a list of str in memory",
        {
            "generator": "bench/suites/text_hashing.py:make_corpus",
            "seed": seed,
            "non_ascii_docs": sum(not d.isascii() for d in documents),
            "vectorizer_params": "scikit-learn defaults",
        },
    )
