#!/usr/bin/env python3
"""Generates parafeat's Unicode tables from the running Python's own str and re behaviour.

parafeat reproduces scikit-learn's text analysis, which runs on Python's str.lower(), the `re`
module's Unicode \\w and \\s classes and str.split(). Their results depend on the Unicode
database compiled into the interpreter, so the tables are taken from the interpreter the package
is built for rather than from a fixed copy of the Unicode Character Database. Every property is
measured through public Python behaviour only:

- word:           chr(cp).isalnum() or cp == U+005F   (what `re` matches with \\w on str)
- space:          chr(cp).isspace()                   (\\s and str.split())
- lower:          chr(cp).lower(), one or more code points
- case_ignorable, cased: the two properties CPython's str.lower() consults to choose the final
  form of capital sigma. They are not exposed, so they are read off str.lower() itself (see
  final_sigma_properties()).

The output is a C++ include file holding a two-level table: code point >> kBlockShift selects a
block, blocks with identical contents are stored once, and each entry of a block is the index of
a CharRecord (flags + lower-case mapping) in a small table of distinct records.

Usage: generate_unicode_tables.py OUTPUT
"""

import os
import sys
import unicodedata

MAX_CODE_POINT = 0x10FFFF
CAPITAL_SIGMA = "\u03a3"
SMALL_FINAL_SIGMA = "\u03c2"

# Flag bits of CharRecord::flags. unicode.cc checks that these match the bits it expects.
WORD = 1
SPACE = 2
CASED = 4
CASE_IGNORABLE = 8
LOWER_EXPANDS = 16  # lower is an index into kLowerExpansions, not a code point delta


def final_sigma_properties(c):
    """Returns (case_ignorable, cased) of the one-character string c, as str.lower() sees them.

    CPython lowers capital sigma to the final form when it is preceded by a cased character
    (skipping case-ignorable ones) and not followed by one (again skipping case-ignorable ones).
    Three probes recover both properties:
      t1: in "A" c "Σ", the sigma is final  <=>  c is ignorable, or c is cased (and not ignorable)
      t2: in "A" "Σ" c, the sigma is final  <=>  c is ignorable, or c is not cased
      t3: in c "Σ", the sigma is final      <=>  c is not ignorable and c is cased
    so ignorable = t1 and t2, and cased = t3. Cased is only ever consulted for a character that
    is not ignorable, so t3 is exactly the property the rule needs.
    """
    t1 = ("A" + c + CAPITAL_SIGMA).lower().endswith(SMALL_FINAL_SIGMA)
    t2 = ("A" + CAPITAL_SIGMA + c).lower()[1] == SMALL_FINAL_SIGMA
    t3 = (c + CAPITAL_SIGMA).lower().endswith(SMALL_FINAL_SIGMA)
    return t1 and t2, t3


def check_derivation():
    """Checks the final-sigma probes against characters whose properties are known."""
    expectations = {
        "'": (True, False),  # APOSTROPHE: Word_Break=Single_Quote, so case-ignorable
        "\u00ad": (True, False),  # SOFT HYPHEN: Cf, case-ignorable
        "\u0301": (True, False),  # COMBINING ACUTE ACCENT: Mn, case-ignorable
        ".": (True, False),  # FULL STOP: Word_Break=MidNumLet, case-ignorable
        "A": (False, True),
        "z": (False, True),
        "\u03a3": (False, True),  # the sigma itself is cased
        "1": (False, False),
        " ": (False, False),
        "\u4e2d": (False, False),  # a CJK ideograph has no case
    }
    for char, expected in expectations.items():
        got = final_sigma_properties(char)
        assert got == expected, f"U+{ord(char):04X}: probes gave {got}, expected {expected}"
    # Spot checks of the rule as a whole, in the forms the tests use.
    assert "ΟΔΟΣ ΟΔΟΣ.".lower() == "οδος οδος."
    assert "ΑΣ'Σ".lower() == "ασ'ς"


def code_point_properties(cp):
    """Returns (flags, lower code points) of code point cp."""
    c = chr(cp)
    flags = 0
    if c.isalnum() or cp == 0x5F:
        flags |= WORD
    if c.isspace():
        flags |= SPACE
    ignorable, cased = final_sigma_properties(c)
    if ignorable:
        flags |= CASE_IGNORABLE
    elif cased:
        flags |= CASED
    return flags, [ord(x) for x in c.lower()]


def check_categories(flags_of):
    """Cross-checks the derived properties with general categories from unicodedata."""
    for cp in range(MAX_CODE_POINT + 1):
        category = unicodedata.category(chr(cp))
        if category in ("Mn", "Me", "Cf", "Lm", "Sk"):
            assert flags_of[cp] & CASE_IGNORABLE, f"U+{cp:04X} ({category}) should be ignorable"
        if category in ("Lu", "Ll", "Lt"):
            assert flags_of[cp] & CASED, f"U+{cp:04X} ({category}) should be cased"


def check_ascii(lower_of):
    """The C++ ASCII fast path lowers A-Z by adding 0x20 and keeps every other ASCII byte."""
    for cp in range(0x80):
        expected = cp + 0x20 if 0x41 <= cp <= 0x5A else cp
        assert lower_of[cp] == [expected], f"U+{cp:04X} lowers to {lower_of[cp]}"


def build_records():
    """Returns (records, record index per code point, lower expansions)."""
    records = {}  # (flags, lower field) -> record index
    expansions = []  # lists of code points for multi-code-point lower cases
    record_of = [0] * (MAX_CODE_POINT + 1)
    flags_of = [0] * (MAX_CODE_POINT + 1)
    lower_of = [None] * 0x80
    for cp in range(MAX_CODE_POINT + 1):
        flags, lower = code_point_properties(cp)
        if cp < 0x80:
            lower_of[cp] = lower
        if len(lower) == 1:
            field = lower[0] - cp
        else:
            flags |= LOWER_EXPANDS
            field = len(expansions)
            expansions.append(lower)
        key = (flags, field)
        record_of[cp] = records.setdefault(key, len(records))
        flags_of[cp] = flags
    check_categories(flags_of)
    check_ascii(lower_of)
    ordered = sorted(records, key=records.get)
    return ordered, record_of, expansions


def split_blocks(record_of, shift):
    """Cuts the per-code-point record indexes into blocks of 2**shift, storing each distinct block once."""
    size = 1 << shift
    unique = {}
    index = []
    for start in range(0, len(record_of), size):
        block = tuple(record_of[start : start + size])
        index.append(unique.setdefault(block, len(unique)))
    blocks = sorted(unique, key=unique.get)
    return index, blocks


def choose_layout(record_of, record_count):
    """Picks the block size with the smallest total table size."""
    entry_bytes = 1 if record_count <= 256 else 2
    best = None
    for shift in range(4, 11):
        index, blocks = split_blocks(record_of, shift)
        index_bytes = 1 if len(blocks) <= 256 else 2
        total = len(index) * index_bytes + len(blocks) * (1 << shift) * entry_bytes
        if best is None or total < best[0]:
            best = (total, shift, index, blocks, index_bytes, entry_bytes)
    return best


def format_array(values, per_line=16):
    lines = []
    for start in range(0, len(values), per_line):
        lines.append("    " + ", ".join(str(v) for v in values[start : start + per_line]) + ",")
    return "\n".join(lines)


def render(records, expansions, layout):
    total, shift, index, blocks, index_bytes, entry_bytes = layout
    index_type = "std::uint8_t" if index_bytes == 1 else "std::uint16_t"
    entry_type = "std::uint8_t" if entry_bytes == 1 else "std::uint16_t"
    block_entries = [entry for block in blocks for entry in block]
    expansion_starts = [0]
    expansion_points = []
    for expansion in expansions:
        expansion_points.extend(expansion)
        expansion_starts.append(len(expansion_points))
    version = sys.version.split()[0]
    out = []
    out.append(
        f"// Generated by src/common/unicode/generate_unicode_tables.py from Python {version}\n"
        f"// (Unicode {unicodedata.unidata_version}). Do not edit; {total} bytes of block tables.\n"
        "// Included by src/common/unicode.cc only.\n"
        "#pragma once\n\n"
        "#include <cstdint>\n\n"
        "namespace parafeat::unicode::tables {\n\n"
        f'inline constexpr char kUnicodeVersion[] = "{unicodedata.unidata_version}";\n\n'
        "// Bits of CharRecord::flags.\n"
        f"inline constexpr std::uint8_t kWordFlag = {WORD};\n"
        f"inline constexpr std::uint8_t kSpaceFlag = {SPACE};\n"
        f"inline constexpr std::uint8_t kCasedFlag = {CASED};\n"
        f"inline constexpr std::uint8_t kCaseIgnorableFlag = {CASE_IGNORABLE};\n"
        f"inline constexpr std::uint8_t kLowerExpandsFlag = {LOWER_EXPANDS};\n\n"
        "// What one code point is: its flags, and its lower case as a delta to add to the code\n"
        "// point, or (with kLowerExpandsFlag) as an index into kLowerExpansionStarts.\n"
        "struct CharRecord {\n"
        "  std::uint8_t flags;\n"
        "  std::int32_t lower;\n"
        "};\n\n"
        f"inline constexpr CharRecord kRecords[{len(records)}] = {{\n"
    )
    for flags, field in records:
        out.append(f"    {{{flags}, {field}}},\n")
    out.append("};\n\n")
    out.append(
        "// The record of code point cp is\n"
        "// kRecords[kBlockEntries[(kBlockIndex[cp >> kBlockShift] << kBlockShift) | (cp & kBlockMask)]].\n"
        f"inline constexpr int kBlockShift = {shift};\n"
        f"inline constexpr std::uint32_t kBlockMask = {(1 << shift) - 1};\n"
        f"inline constexpr {index_type} kBlockIndex[{len(index)}] = {{\n{format_array(index)}\n}};\n\n"
        f"inline constexpr {entry_type} kBlockEntries[{len(block_entries)}] = {{\n"
        f"{format_array(block_entries)}\n}};\n\n"
    )
    out.append(
        "// Lower cases of more than one code point: expansion i is\n"
        "// kLowerExpansionPoints[kLowerExpansionStarts[i] .. kLowerExpansionStarts[i + 1]).\n"
        f"inline constexpr std::uint32_t kLowerExpansionStarts[{len(expansion_starts)}] = {{\n"
        f"{format_array(expansion_starts)}\n}};\n"
        f"inline constexpr char32_t kLowerExpansionPoints[{max(1, len(expansion_points))}] = {{\n"
        f"{format_array(expansion_points or [0])}\n}};\n\n"
        "}  // namespace parafeat::unicode::tables\n"
    )
    return "".join(out)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    output = argv[1]
    check_derivation()
    records, record_of, expansions = build_records()
    layout = choose_layout(record_of, len(records))
    text = render(records, expansions, layout)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    # Write through a temporary file so an interrupted run never leaves a truncated table.
    temporary = output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, output)


if __name__ == "__main__":
    main(sys.argv)
