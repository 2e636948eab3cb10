#!/usr/bin/env bash
# The Python tests that drive the native engine (text and time-series kernels, document and
# Arrow conversion, pipelines, fitting states), run against parafeat._core built under
# AddressSanitizer + UndefinedBehaviorSanitizer in the asan build (`make test-asan` builds it).
# The suites of Spark, Cassandra, Ray, the server and parallel_map are left out: their work runs
# in other processes (a JVM, a node, worker processes) that the preloaded runtime would enter.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
site="$build/python-site"
rm -rf "$site"
mkdir -p "$site"
cp -r python/parafeat "$site/parafeat"
cp "$build"/python/_core*.so "$site/parafeat/"
python=.venv/bin/python
pyarrow_dir=$("$python" -c 'import os, pyarrow; print(os.path.dirname(pyarrow.__file__))')
tests=(
  test_count_tfidf_oracle.py test_count_tfidf_state.py test_document_split_oracle.py
  test_hashing_vectorizer_api.py test_hashing_vectorizer_oracle.py test_java_tables.py
  test_pipeline.py test_pipeline_fit.py test_progress.py test_set_output.py test_text_inputs.py
  test_threads.py test_timeseries_api.py test_timeseries_long_series.py test_timeseries_oracle.py
  test_timeseries_pipeline.py test_timeseries_query_similarity.py
)
# The Python interpreter is not built with the sanitizers: their runtimes are preloaded. Leaks
# are not checked: CPython and the libraries it loads keep memory until exit by design.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
  LD_LIBRARY_PATH="$pyarrow_dir" PYTHONPATH="$site" \
  "$python" -m pytest -q -p no:cacheprovider "${tests[@]/#/tests/python/}"
