"""Corpora the text oracle tests share: an adversarial one, and hypothesis strategies."""

from hypothesis import strategies as st

ADVERSARIAL_CORPUS = [
    "",
    " ",
    "\t\n \r\x0b\x0c",
    "a",
    "ab",
    "Hello World! hello WORLD",
    "emoji 😀😀 👩‍👩‍👧 flags 🇫🇷 in text😀word",
    "combining: e\u0301te\u0301 cafe\u0301 n\u0303o a\u0308\u0308",
    "Turkish: İstanbul ISPARTA ıi İİ",
    "German: Straße STRASSE ß ẞ",
    "Greek final sigma: ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ'Σ ΣΑΣ ὈΔΥΣΣΕΎΣ",
    "mixed scripts: данные データ 数据 ข้อมูล بيانات נתונים",
    "digits and numerics: 2² ½ Ⅻ ٣٤ 10_000 snake_case __dunder__",
    "single\twhitespace\nchars  and   runs\u00a0nbsp\u2003em\u3000ideographic",
    "x" * 5000 + " " + "long token " * 3,
    "Ⅰ Ⅱ ǅ ǈ ῼ ﬀ ﬁ ŉ ΐ",  # titlecase letters, ligatures, special casing
    "accents: Crème Brûlée naïve Ångström ½ ² ㎏ 한국어 Ǆ ǅ ǆ ẞ",
    "\x1c\x1d\x1e\x1f separators \x85 next line \u2028 \u2029",
]

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # lone surrogates cannot be UTF-8
    max_size=200,
)
word_like_text = st.lists(
    st.sampled_from(
        ["a", "ab", "Σ", "ΑΣ", "İ", "ß", "😀", "e\u0301", "_", "1", "²", " ", "  ", "\t", "\n",
         "x_y", "Δ'Σ", "\u00a0", "ǅ", "ﬀ", "ı", "К", "数据", ".", "-"]
    ),
    max_size=60,
).map("".join)  # fmt: skip
documents_strategy = st.lists(st.one_of(unicode_text, word_like_text), min_size=1, max_size=20)
