"""Suite ``text-hashing``: parafeat's HashingVectorizer against scikit-learn's.

Input: a generated corpus (fixed seed) of Zipf-distributed words over a mixed-script vocabulary
(mostly English-like ASCII words, plus accented Latin, Greek, Cyrillic, CJK, emoji, numbers and
attached punctuation), documents of 50 to 2000 words, held in memory as a list of str. Every
contender hashes the same list with the same default parameters:
``sklearn.feature_extraction.text.HashingVectorizer().transform(docs)`` and
``parafeat.text.HashingVectorizer(n_jobs=T).transform(docs)`` for T in 1, 2.
Throughput is in MB of UTF-8 text per second, and documents per second.
"""

import numpy as np

from bench.measure import first_csr_difference
from bench.runner import Contender, Goal, SuitePlan

TITLE = "HashingVectorizer: parafeat vs scikit-learn"
DEFAULT_SIZE_MB = 100.0
QUICK_SIZE_MB = 2.0
THREADS = (1, 2)

VOCABULARY_SIZE = 100_000
COMMON_WORDS = 1_000  # the most frequent ranks are ASCII, as English function words are
ZIPF_EXPONENT = 1.05  # word frequencies of natural text: rank ** -1 (Zipf), slightly steeper
WORDS_PER_DOC_MEDIAN = 300
WORDS_PER_DOC_RANGE = (50, 2000)

# Share of the less common vocabulary entries per kind of word.
_WORD_KINDS = {
    "ascii": 0.76,
    "accented": 0.06,
    "greek": 0.04,
    "cyrillic": 0.04,
    "cjk": 0.04,
    "number": 0.04,
    "emoji": 0.02,
}
# English letter frequencies (per cent), and the distribution of English word lengths 1..14.
_ENGLISH_LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
_ENGLISH_LETTER_WEIGHTS = [
    12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0,
    1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.10, 0.07,
]  # fmt: skip
_WORD_LENGTH_WEIGHTS = [3, 17, 21, 16, 11, 9, 8, 6, 4, 2.5, 1.5, 0.8, 0.4, 0.2]
_ACCENTED_LETTERS = "àáâäãåçèéêëìíîïñòóôöõøùúûüýÿßœæ"
_GREEK_LETTERS = "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ"
_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KANA = "".join(map(chr, range(0x3041, 0x3097))) + "".join(map(chr, range(0x30A1, 0x30FB)))
_HAN = "".join(map(chr, range(0x4E00, 0x4E00 + 3000)))  # the most common block of ideographs
_EMOJI = "".join(map(chr, range(0x1F600, 0x1F650))) + "".join(map(chr, range(0x1F300, 0x1F340)))
_PUNCTUATION = ",.,.;:!?"


def _normalised(weights):
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _split_into_words(letters, lengths) -> list:
    """Cuts a flat array of characters into words of the given lengths."""
    return ["".join(word) for word in np.split(letters, np.cumsum(lengths)[:-1])]


def _letter_words(rng, n, alphabet, weights=None, lengths=None) -> list:
    """``n`` words of letters drawn from ``alphabet``, with English word lengths by default."""
    if lengths is None:
        length_weights = _normalised(_WORD_LENGTH_WEIGHTS)
        lengths = 1 + rng.choice(len(length_weights), size=n, p=length_weights)
    letters = rng.choice(np.array(list(alphabet)), size=int(np.sum(lengths)), p=weights)
    return _split_into_words(letters, lengths)


def _ascii_words(rng, n) -> list:
    return _letter_words(rng, n, _ENGLISH_LETTERS, _normalised(_ENGLISH_LETTER_WEIGHTS))


def _accented_words(rng, n) -> list:
    # English-like words with about a third of their letters accented (French, German, Nordic).
    words = _ascii_words(rng, n)
    lengths = [len(w) for w in words]
    letters = np.array(list("".join(words)))
    accented = rng.random(letters.size) < 0.35
    letters[accented] = rng.choice(np.array(list(_ACCENTED_LETTERS)), size=int(accented.sum()))
    return _split_into_words(letters, lengths)


def _greek_words(rng, n) -> list:
    words = _letter_words(rng, n, _GREEK_LETTERS)
    final = rng.random(n) < 0.3  # final sigma at the end of some words
    return [w[:-1] + "ς" if f and len(w) > 2 else w for w, f in zip(words, final)]


def _cyrillic_words(rng, n) -> list:
    return _letter_words(rng, n, _CYRILLIC_LETTERS)


def _cjk_words(rng, n) -> list:
    # CJK text has no spaces: a "word" here is a run of 1 to 8 ideographs or kana.
    lengths = rng.integers(1, 9, size=n)
    han = _letter_words(rng, n, _HAN, lengths=lengths)
    kana = _letter_words(rng, n, _KANA, lengths=lengths)
    return [h if use_han else k for h, k, use_han in zip(han, kana, rng.random(n) < 0.7)]


def _numbers(rng, n) -> list:
    years = rng.integers(1800, 2030, size=n).astype(str)
    decimals = [f"{a}.{b:02d}" for a, b in zip(rng.integers(0, 1000, n), rng.integers(0, 100, n))]
    counts = rng.integers(0, 100_000, size=n).astype(str)
    style = rng.integers(3, size=n)
    return [str((years, decimals, counts)[s][i]) for i, s in enumerate(style)]


def _emoji_words(rng, n) -> list:
    emoji = _letter_words(rng, n, _EMOJI, lengths=rng.integers(1, 3, size=n))
    glued = rng.random(n) < 0.4  # sometimes glued to a word, as in chat text ("great😀")
    return [w + e if g else e for w, e, g in zip(_ascii_words(rng, n), emoji, glued)]


_MAKE_WORDS = {
    "ascii": _ascii_words,
    "accented": _accented_words,
    "greek": _greek_words,
    "cyrillic": _cyrillic_words,
    "cjk": _cjk_words,
    "number": _numbers,
    "emoji": _emoji_words,
}


def _decorated(rng, words) -> list:
    """Surface forms as running text has them: some capitalised, some with punctuation."""
    case, mark = rng.random(len(words)), rng.random(len(words))
    punctuation = rng.choice(np.array(list(_PUNCTUATION)), size=len(words))
    surface = []
    for word, c, m, p in zip(words, case, mark, punctuation):
        word = word.capitalize() if c < 0.08 else word.upper() if c < 0.09 else word
        if m < 0.10:
            word += p
        elif m < 0.12:
            word = f"({word})" if m < 0.11 else f'"{word}"'
        surface.append(word)
    return surface


def _by_length(rng, words) -> list:
    """Frequent words of natural language are short: orders by length, blurred with noise."""
    keys = np.array([len(w) for w in words]) + rng.normal(0, 2.0, size=len(words))
    return [words[i] for i in np.argsort(keys, kind="stable")]


def make_vocabulary(rng, size: int = VOCABULARY_SIZE) -> list:
    """``size`` distinct surface forms in Zipf rank order (most frequent first).

    The ``COMMON_WORDS`` most frequent are ASCII; the rest mix the kinds of ``_WORD_KINDS``.
    """
    kinds = list(_WORD_KINDS)
    drawn = rng.choice(len(kinds), size=2 * size, p=_normalised(list(_WORD_KINDS.values())))
    candidates = [None] * drawn.size
    for k, kind in enumerate(kinds):
        positions = np.flatnonzero(drawn == k)
        for position, word in zip(positions, _MAKE_WORDS[kind](rng, positions.size)):
            candidates[position] = word
    common = list(dict.fromkeys(_decorated(rng, _ascii_words(rng, 4 * COMMON_WORDS))))
    common = common[:COMMON_WORDS]
    distinct = dict.fromkeys(common)  # an insertion-ordered set
    for word in _decorated(rng, candidates):
        distinct.setdefault(word)
        if len(distinct) == size:
            break
    rare = list(distinct)[COMMON_WORDS:]
    return _by_length(rng, common) + _by_length(rng, rare)


def make_corpus(size_mb: float, seed: int, words_per_doc=None) -> list:
    """Documents totalling at least ``size_mb`` MB (10**6 bytes) of UTF-8 text, of
    ``words_per_doc = (median, min, max)`` words (default: this suite's)."""
    rng = np.random.default_rng(seed)
    vocabulary = make_vocabulary(rng)
    words = np.array(vocabulary, dtype=object)
    word_bytes = np.array([len(w.encode("utf-8")) + 1 for w in vocabulary])  # + 1 separator
    ranks = np.arange(1, len(vocabulary) + 1, dtype=float)
    cumulative = np.cumsum(ranks**-ZIPF_EXPONENT)
    cumulative /= cumulative[-1]

    target_bytes = size_mb * 1e6
    median, low, high = words_per_doc or (WORDS_PER_DOC_MEDIAN, *WORDS_PER_DOC_RANGE)
    documents, total_bytes = [], 0
    while total_bytes < target_bytes:
        # Document lengths: log-normal around the median, clipped to the range.
        lengths = np.clip(
            rng.lognormal(np.log(median), 0.8, size=256), low, high
        ).astype(int)
        ids = np.searchsorted(cumulative, rng.random(int(lengths.sum())), side="right")
        for doc_ids in np.split(ids, np.cumsum(lengths)[:-1]):
            documents.append(" ".join(words[doc_ids].tolist()))
            total_bytes += int(word_bytes[doc_ids].sum()) - 1
            if total_bytes >= target_bytes:
                break
    return documents


def prepare(size_mb: float, seed: int) -> SuitePlan:
    """The corpus and the three contenders, with scikit-learn's output as the reference."""
    from sklearn.feature_extraction.text import HashingVectorizer as SklearnHashingVectorizer

    from parafeat.text import HashingVectorizer

    documents = make_corpus(size_mb, seed)
    sklearn = Contender("scikit-learn", lambda: SklearnHashingVectorizer().transform(documents))
    parafeat = {
        threads: Contender(
            "parafeat", lambda t=threads: HashingVectorizer(n_jobs=t).transform(documents), threads
        )
        for threads in THREADS
    }
    most = parafeat[max(THREADS)]
    return SuitePlan(
        title=TITLE,
        description=(
            f"generated corpus (seed {seed}): Zipf-distributed words (exponent {ZIPF_EXPONENT}) "
            f"over {VOCABULARY_SIZE:,} mixed-script surface forms, {WORDS_PER_DOC_RANGE[0]}–"
            f"{WORDS_PER_DOC_RANGE[1]} words per document; default HashingVectorizer parameters "
            "(n_features=2**20, norm='l2', alternate_sign=True); input: a list of str in memory"
        ),
        input={
            "generator": "bench/suites/text_hashing.py:make_corpus",
            "seed": seed,
            "vocabulary_size": VOCABULARY_SIZE,
            "common_ascii_words": COMMON_WORDS,
            "zipf_exponent": ZIPF_EXPONENT,
            "words_per_doc": {
                "median": WORDS_PER_DOC_MEDIAN,
                "min": WORDS_PER_DOC_RANGE[0],
                "max": WORDS_PER_DOC_RANGE[1],
            },
            "word_kinds_beyond_common": _WORD_KINDS,
            "non_ascii_docs": sum(not d.isascii() for d in documents),
            "words": sum(d.count(" ") + 1 for d in documents),
            "vectorizer_params": "scikit-learn defaults",
        },
        input_bytes=sum(len(d.encode("utf-8")) for d in documents),
        input_items=len(documents),
        item_unit="docs",
        contenders=[sklearn, *parafeat.values()],
        reference=sklearn,
        first_difference=first_csr_difference,
        goals=[Goal(most, sklearn, 20.0), Goal(most, parafeat[min(THREADS)], 1.8)],
    )
