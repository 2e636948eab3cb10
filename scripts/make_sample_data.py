#!/usr/bin/env python3
"""Builds the bundled sample corpus ``data/sample/python_docs.jsonl`` from real English text.

The text is the documentation that ships inside CPython's standard library, which the PSF
License lets us redistribute (see data/sample/README.md):

- every docstring of every module, class and function of the standard library's ``.py`` files,
  read with :mod:`ast` (nothing is imported or run), one document per docstring, in file order;
- every topic of the reference manual bundled as ``pydoc_data.topics`` (what ``help("if")``
  shows), one document per topic.

Each line is ``{"id": ..., "source": ..., "text": ...}``: ``id`` is the dotted name of the
documented object (``json.decoder.JSONDecoder.decode``) or ``pydoc_data.topics:<topic>``,
``source`` the file it came from, relative to the standard library. A name documented twice
(defined in both branches of an ``if``) gets ``#2`` on its second document. Python's licence
(LICENSE.txt of the standard library, holding the PSF License Agreement whose notice must be kept
with the text) is copied next to the corpus as ``PYTHON-LICENSE.txt``.

The output depends only on the Python version that runs the script; the committed files came
from CPython 3.11.7:

    .venv/bin/python scripts/make_sample_data.py
"""

import argparse
import ast
import collections
import json
import pathlib
import shutil
import sys
import sysconfig
import warnings

REPO_DIR = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_DIR / "data" / "sample" / "python_docs.jsonl"
LICENSE_NAME = "PYTHON-LICENSE.txt"
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def module_name(relative: pathlib.Path) -> str:
    """``json/decoder.py`` -> ``json.decoder``; ``json/__init__.py`` -> ``json``."""
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def docstrings(node, name: str):
    """Yields ``(dotted name, docstring)`` for ``node`` and every definition below it, in
    source order (a depth-first walk, unlike :func:`ast.walk`), including definitions nested
    in ``if``/``try``/``with`` blocks."""
    if isinstance(node, _DOCUMENTED):
        text = ast.get_docstring(node, clean=True)
        if text:
            yield name, text
    for child in ast.iter_child_nodes(node):
        is_definition = isinstance(child, _DOCUMENTED)
        yield from docstrings(child, f"{name}.{child.name}" if is_definition else name)


def standard_library_documents(stdlib: pathlib.Path):
    """Documents from the docstrings of every ``.py`` file of the standard library."""
    for path in sorted(stdlib.rglob("*.py")):
        relative = path.relative_to(stdlib)
        if relative.parts[0] == "site-packages" or relative.parts[0].startswith("config-"):
            continue  # third-party packages and build configuration, not the standard library
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # e.g. invalid escapes in old tests
            try:
                tree = ast.parse(path.read_bytes(), filename=str(path))
            except SyntaxError:
                continue  # test data files that are deliberately not valid Python
        for name, text in docstrings(tree, module_name(relative)):
            yield {"id": name, "source": str(relative), "text": text}


def reference_topic_documents():
    """Documents from the reference-manual topics bundled with the standard library."""
    from pydoc_data.topics import topics

    for topic in sorted(topics):
        yield {
            "id": f"pydoc_data.topics:{topic}",
            "source": "pydoc_data/topics.py",
            "text": topics[topic].strip(),
        }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    count, size = 0, 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    seen = collections.Counter()
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        for document in [*standard_library_documents(stdlib), *reference_topic_documents()]:
            # A name defined twice (in the branches of an if) gets "#2" on its second docstring.
            seen[document["id"]] += 1
            if seen[document["id"]] > 1:
                document["id"] += f"#{seen[document['id']]}"
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
            count += 1
            size += len(document["text"].encode("utf-8"))
    shutil.copyfile(stdlib / "LICENSE.txt", args.output.parent / LICENSE_NAME)
    print(
        f"{args.output}: {count:,} documents, {size / 1e6:.2f} MB of text, from the standard "
        f"library of Python {sys.version.split()[0]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
