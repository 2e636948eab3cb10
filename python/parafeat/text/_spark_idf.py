"""Spark ML's IDF on count matrices: the weighting of TfidfVectorizer(compat="spark")."""

import numpy as np
import scipy.sparse as sp

from parafeat import _core
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs


class SparkIdf:
    """pyspark.ml.feature.IDF: ``fit`` counts each column's documents with a positive value
    (df) and sets ``idf_ = log((m + 1) / (df + 1))`` for m documents (0 where df <
    min_doc_freq); ``transform`` multiplies each value by its column's idf, without
    normalising. The log is the C library's (see spark_idf.h for how it differs from Spark's).
    """

    def __init__(self, *, min_doc_freq=0, n_jobs=-1):
        self.min_doc_freq = min_doc_freq
        self.n_jobs = n_jobs

    def fit_counts(self, n_documents, document_frequency):
        """Sets ``idf_`` from the number of documents and each column's document frequency."""
        df = np.ascontiguousarray(document_frequency, dtype=np.int64)
        self.idf_ = _core.spark_idf(n_documents, df, self.min_doc_freq)
        self.n_features_in_ = len(df)
        return self

    def fit(self, X):
        """Learns ``idf_`` from the CSR count matrix ``X``."""
        positive = X.indices[X.data > 0]
        return self.fit_counts(X.shape[0], np.bincount(positive, minlength=X.shape[1]))

    def transform(self, X, copy=True):
        """Each value of the CSR matrix ``X`` times its column's idf, as float64."""
        X = sp.csr_matrix(X, dtype=np.float64, copy=copy)
        _core.weight_rows(
            X.data, X.indices, X.indptr, self.idf_, X.shape[1], None,
            resolve_n_jobs(self.n_jobs), MORSEL_ROWS,
        )  # fmt: skip
        return X
