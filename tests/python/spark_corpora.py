"""Corpora of the compat="spark" oracle tests: text where Spark's tokenization (Java's \\s,
Java's lower-casing) is easy to get wrong, as single characters, whole documents and words."""

import random

# Characters where Spark's tokenization is easy to get wrong: Java's \s is exactly these six,
# other whitespace is not; Java lower-cases with JDK 17's Unicode 13 and its own final-sigma
# rule; U+0130 grows; supplementary code points are two UTF-16 units.
JAVA_WHITESPACE = " \t\n\x0b\x0c\r"
OTHER_WHITESPACE = "\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2003\u2028\u2029\u3000"
TRICKY_LETTERS = (
    "AaZzÀÉİIıiΣσςΟΔΆ"  # Latin, dotted/dotless i, Greek sigmas
    "\u10a0\u1c90\u10d0"  # Georgian Asomtavruli, Mtavruli, Mkhedruli
    "\u13a0\uab70\u13f8"  # Cherokee capital and small letters
    "\u2c2f\ua7c0\U00010570"  # added in Unicode 14: Python 3.11 lowers them, JDK 17 does not
    "\u1e9e\u01c5\u2160\u24b6\u02b0\u0345\U00010400\U0001d400"
)
MARKS_AND_PUNCTUATION = ".'-_,:$%#&\u00ad\u200d\u0301\u0903\u3099\u2027\u0964\u066b\u00a2"
OTHER_SCRIPTS = "中アあ한😀👍🏽\U0001f468\u200d\U0001f469\u0663١"
ALPHABET = JAVA_WHITESPACE + OTHER_WHITESPACE + TRICKY_LETTERS + MARKS_AND_PUNCTUATION + OTHER_SCRIPTS

ADVERSARIAL_DOCUMENTS = [
    "",
    " ",
    "      ",
    "\t\n\x0b\x0c\r",
    "a",
    "  leading and trailing  ",
    "two  spaces\t\ttabs\n\nnewlines\r\n crlf",
    "Hello WORLD hello world HELLO",
    "ΟΔΟΣ ΟΔΟΣ. Σ ΣΣ ΑΣ'Σ AΣ.B A.Σ AΣ..B A-Σ A1Σ AΣ1B A_Σ A\u200dΣ \u2160\u00adΣ",
    "İSTANBUL İi ıI",
    "\u10a0\u10a1 \u1c90\u1c91 \u13a0\u13a1 \uab70 \u2c2f \ua7c0 \U00010570",
    "😀 👍🏽 \U0001f468\u200d\U0001f469\u200d\U0001f467 😀😀",
    "no\xa0break\u2003em\u3000ideographic\x85next\x1cfile",
    "x" * 10_000,
    ("Σ" * 3 + "a") * 500,
    " ".join(["token"] * 1000),
]


def random_documents(seed, count):
    """`count` documents of 0-60 characters drawn from ALPHABET, reproducible from `seed`."""
    rng = random.Random(seed)
    return ["".join(rng.choices(ALPHABET, k=rng.randint(0, 60))) for _ in range(count)]



def word_documents(seed, count, words=300):
    """`count` documents of 0-30 words joined by Java whitespace (runs of it make empty tokens):
    the words, 1-4 characters of ALPHABET outside Java's whitespace with random case, are drawn
    with Zipf-like weights so that counts repeat and tie. Reproducible from `seed`."""
    rng = random.Random(seed)
    letters = ALPHABET.translate({ord(c): None for c in JAVA_WHITESPACE})
    pool = ["".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(words)]
    pool = [word.upper() if rng.random() < 0.3 else word for word in pool]
    weights = [1.0 / (rank + 1) for rank in range(words)]
    documents = []
    for _ in range(count):
        tokens = rng.choices(pool, weights, k=rng.randint(0, 30))
        separators = rng.choices([" ", " ", " ", "  ", "\t", "\n", "\r\n"], k=len(tokens))
        documents.append("".join(s + t for s, t in zip(separators, tokens)).lstrip(" "))
    return documents
