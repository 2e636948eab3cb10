// The text analyzer, following scikit-learn 1.9's _VectorizerMixin (build_analyzer,
// _word_ngrams, _char_ngrams, _char_wb_ngrams) step by step:
//   1. decode (strict UTF-8) and, with lowercase=True, str.lower() the whole document;
//   2. word:    re.findall(r"(?u)\b\w\w+\b") — every maximal run of \w of two or more code
//               points — then all n-grams for n = ngram_min..ngram_max joined by " ";
//      char:    re.sub(r"\s\s+", " ") — a run of two or more whitespace characters becomes one
//               space, a single whitespace character stays as it is — then code point n-grams;
//      char_wb: text.split(), each word padded as " " + w + " ", then n-grams of each padded
//               word, stopping at the first n that covers the whole padded word.
// Every term is a string_view into the scratch, which owns all text the terms point at.
#include "extractors/text/analyzer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "common/check.h"
#include "common/unicode.h"

namespace parafeat::text {
namespace {

// Byte offsets are kept as 32-bit integers; the analyzed text plus two padding bytes must fit.
constexpr std::size_t kMaxAnalyzedBytes = std::numeric_limits<std::uint32_t>::max() - 2;

// The code point at byte `pos` of valid UTF-8 `text`; sets `length` to its size in bytes.
inline char32_t code_point_at(std::string_view text, std::size_t pos, int& length) {
  char32_t cp = static_cast<unsigned char>(text[pos]);
  length = 1;
  if (cp >= 0x80) {
    length = unicode::decode_utf8(text, pos, cp);
    PARAFEAT_DCHECK(length > 0);
  }
  return cp;
}

// The size in bytes of the sequence that starts with `lead` in valid UTF-8, by the lead's top
// four bits: 0xxx is ASCII, 110x starts 2 bytes, 1110 three and 1111 four (10xx, a continuation
// byte, is no lead).
inline std::size_t sequence_length(unsigned char lead) {
  static constexpr std::array<std::uint8_t, 16> kLengths = {1, 1, 1, 1, 1, 1, 1, 1,
                                                            2, 2, 2, 2, 2, 2, 3, 4};
  return kLengths[lead >> 4];
}

// Bits [0, n) set, for 0 <= n <= 64.
constexpr std::uint64_t low_bits(int n) {
  return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

// The code point classes whose maximal runs the analyzers look for.
enum class RunClass : std::uint8_t {
  kWord,      // \w: the word analyzer's tokens
  kSpace,     // \s: the whitespace runs that char folds
  kNotSpace,  // not \s: the words of str.split() that char_wb pads
};

template <RunClass kClass>
bool in_class(char32_t cp) {
  if constexpr (kClass == RunClass::kWord) {
    return unicode::is_word(cp);
  } else if constexpr (kClass == RunClass::kSpace) {
    return unicode::is_space(cp);
  } else {
    return !unicode::is_space(cp);
  }
}

// Bit i set when ASCII byte i of a classified block is in kClass (junk for non-ASCII bytes).
template <RunClass kClass>
std::uint64_t ascii_class_bits(const unicode::BlockClasses& classes) {
  if constexpr (kClass == RunClass::kWord) {
    return classes.word;
  } else if constexpr (kClass == RunClass::kSpace) {
    return classes.space;
  } else {
    return ~classes.space;
  }
}

// Tracks the maximal runs of in-class code points while a text is scanned left to right, and
// reports each finished run as on_run(begin, end) with its byte range.
template <typename OnRun>
class RunTracker {
 public:
  explicit RunTracker(OnRun& on_run) : on_run_(on_run) {}

  // The code point at byte `pos` is (or is not) in the class.
  void step(std::size_t pos, bool in_class) {
    if (in_class) {
      if (!in_run_) {
        in_run_ = true;
        begin_ = pos;
      }
    } else {
      close(pos);
    }
  }

  // The 64 bytes at `pos`, which starts a code point: bit i of `in_class` says whether byte
  // pos + i belongs to an in-class code point. Runs are found from the bit pattern, without a
  // branch per byte: a run starts at each in-class byte whose predecessor is not, and ends at each
  // other byte whose predecessor is; starts and ends alternate.
  void block(std::size_t pos, std::uint64_t in_class) {
    const std::uint64_t after_in_class = in_class << 1 | static_cast<std::uint64_t>(in_run_);
    std::uint64_t starts = in_class & ~after_in_class;
    std::uint64_t ends = ~in_class & after_in_class;
    if (in_run_) {
      if (ends == 0) return;  // the run goes on into the next block
      on_run_(begin_, pos + static_cast<std::size_t>(std::countr_zero(ends)));
      ends &= ends - 1;
    }
    for (; starts != 0; starts &= starts - 1) {
      const std::size_t begin = pos + static_cast<std::size_t>(std::countr_zero(starts));
      if (ends == 0) {  // the run goes on into the next block
        begin_ = begin;
        in_run_ = true;
        return;
      }
      on_run_(begin, pos + static_cast<std::size_t>(std::countr_zero(ends)));
      ends &= ends - 1;
    }
    in_run_ = false;
  }

  // The run in progress, if any, ends at byte `end`.
  void close(std::size_t end) {
    if (!in_run_) {
      return;
    }
    on_run_(begin_, end);
    in_run_ = false;
  }

 private:
  OnRun& on_run_;
  std::size_t begin_ = 0;  // byte offset where the current run starts
  bool in_run_ = false;
};

// Whether the run text[begin, end) of whole code points holds two or more of them.
inline bool has_two_code_points(std::string_view text, std::size_t begin, std::size_t end) {
  return end - begin > sequence_length(static_cast<unsigned char>(text[begin]));
}

// Calls on_run(begin, end) for each maximal run of code points of `text` (valid UTF-8) in
// kClass, with the run's byte range [begin, end). Runs are reported in order; on_run may
// rewrite bytes of `text` before `begin` (fold_white_space_runs does). Text is classified 64
// bytes at a time: ASCII bytes in bulk, then each non-ASCII code point by its decoded value,
// all its bytes taking its class. A block may end inside a code point; the next one starts
// after that code point.
template <RunClass kClass, typename OnRun>
void for_each_run(std::string_view text, OnRun&& on_run) {
  RunTracker<OnRun> runs(on_run);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t pos = 0;
  while (pos + 64 <= text.size()) {
    const unicode::BlockClasses classes = unicode::classify_block(bytes + pos);
    std::uint64_t mask = ascii_class_bits<kClass>(classes);
    std::size_t next = pos + 64;
    if (classes.non_ascii != 0) {
      mask &= ~classes.non_ascii;
      for (std::uint64_t leads = classes.non_ascii & ~classes.continuation; leads != 0;
           leads &= leads - 1) {
        const int i = std::countr_zero(leads);
        const std::size_t start = pos + static_cast<std::size_t>(i);
        int length = 0;
        if (in_class<kClass>(code_point_at(text, start, length))) {
          mask |= low_bits(std::min(64, i + length)) & ~low_bits(i);
        }
        next = std::max(next, start + static_cast<std::size_t>(length));
      }
    }
    runs.block(pos, mask);
    pos = next;
  }
  // The last, short block: one code point at a time.
  while (pos < text.size()) {
    int length = 0;
    runs.step(pos, in_class<kClass>(code_point_at(text, pos, length)));
    pos += static_cast<std::size_t>(length);
  }
  runs.close(text.size());
}

// re.sub(r"\s\s+", " ", text), in place: each run of two or more whitespace code points becomes
// one " ". The text only shrinks, so bytes are moved down behind the reading position.
void fold_white_space_runs(std::string& text) {
  std::size_t write = 0;      // end of the folded text written so far
  std::size_t copy_from = 0;  // start of the bytes read but not yet moved to `write`
  for_each_run<RunClass::kSpace>(text, [&](std::size_t begin, std::size_t end) {
    if (!has_two_code_points(text, begin, end)) {
      return;
    }
    const std::size_t kept = begin - copy_from;
    if (write != copy_from) {
      std::memmove(text.data() + write, text.data() + copy_from, kept);
    }
    write += kept;
    text[write++] = ' ';
    copy_from = end;
  });
  const std::size_t kept = text.size() - copy_from;
  if (write != copy_from) {
    std::memmove(text.data() + write, text.data() + copy_from, kept);
  }
  text.resize(write + kept);
}

// Sets `offsets` to the byte offset of each code point of `text`, followed by text.size().
void code_point_offsets(std::string_view text, std::vector<std::uint32_t>& offsets) {
  offsets.clear();
  if (unicode::ascii_prefix_length(text) == text.size()) {
    offsets.resize(text.size() + 1);
    std::iota(offsets.begin(), offsets.end(), std::uint32_t{0});
    return;
  }
  for (std::size_t pos = 0; pos < text.size();) {
    offsets.push_back(static_cast<std::uint32_t>(pos));
    pos += sequence_length(static_cast<unsigned char>(text[pos]));
  }
  offsets.push_back(static_cast<std::uint32_t>(text.size()));
}

// Code points [first, last) of `text`, given the byte offset of each of its code points.
std::string_view code_point_slice(std::string_view text, const std::vector<std::uint32_t>& offsets,
                                  std::size_t first, std::size_t last) {
  return text.substr(offsets[first], offsets[last] - offsets[first]);
}

// Word analyzer, after lower-casing: (?u)\b\w\w+\b tokens, then word n-grams.
Status analyze_words(const AnalyzerOptions& options, std::string_view text,
                     std::vector<std::string_view>& tokens, std::string& joined,
                     std::vector<std::uint32_t>& starts, std::vector<std::string_view>& terms) {
  auto& token_list = options.ngram_max == 1 ? terms : tokens;
  token_list.clear();
  if (options.token_pattern) {
    PARAFEAT_RETURN_NOT_OK(options.token_pattern->find_all(text, token_list));
  } else {
    for_each_run<RunClass::kWord>(text, [&](std::size_t begin, std::size_t end) {
      if (has_two_code_points(text, begin, end)) {
        token_list.emplace_back(text.data() + begin, end - begin);  // in range: no check
      }
    });
  }
  const std::vector<std::string>& stop_words = options.stop_words;  // sorted by the Analyzer
  if (!stop_words.empty()) {
    std::erase_if(token_list, [&](std::string_view token) {
      return std::binary_search(stop_words.begin(), stop_words.end(), token, std::less<>());
    });
  }
  if (options.ngram_max == 1) {
    return Status::OK();
  }

  // All n-grams of n >= 2 are substrings of the tokens joined by single spaces.
  joined.clear();
  starts.clear();
  for (std::string_view token : tokens) {
    if (!starts.empty()) {
      joined.push_back(' ');  // also after an empty token (a custom pattern may match "")
    }
    starts.push_back(static_cast<std::uint32_t>(joined.size()));
    joined.append(token);
  }
  starts.push_back(static_cast<std::uint32_t>(joined.size() + 1));  // one past a virtual space

  // Token i is joined[starts[i], starts[i + 1] - 1); an n-gram runs from the start of its first
  // token to the end of its last.
  const std::string_view all = joined;
  const std::size_t count = tokens.size();
  const std::size_t max_n = std::min(static_cast<std::size_t>(options.ngram_max), count);
  for (std::size_t n = static_cast<std::size_t>(options.ngram_min); n <= max_n; ++n) {
    for (std::size_t i = 0; i + n <= count; ++i) {
      terms.push_back(all.substr(starts[i], starts[i + n] - 1 - starts[i]));
    }
  }
  return Status::OK();
}

// Char analyzer, after lower-casing and folding: every n-gram of code points, n by n.
void analyze_chars(const AnalyzerOptions& options, std::string_view text,
                   std::vector<std::uint32_t>& offsets, std::vector<std::string_view>& terms) {
  code_point_offsets(text, offsets);
  const std::size_t length = offsets.size() - 1;
  const std::size_t max_n = std::min(static_cast<std::size_t>(options.ngram_max), length);
  for (std::size_t n = static_cast<std::size_t>(options.ngram_min); n <= max_n; ++n) {
    for (std::size_t i = 0; i + n <= length; ++i) {
      terms.push_back(code_point_slice(text, offsets, i, i + n));
    }
  }
}

// The char_wb n-grams of one padded word " w ", whose code point offsets are `offsets`:
// scikit-learn's loop, including its stop once n reaches the padded word's length.
void padded_word_ngrams(const AnalyzerOptions& options, std::string_view padded,
                        const std::vector<std::uint32_t>& offsets,
                        std::vector<std::string_view>& terms) {
  const std::size_t length = offsets.size() - 1;
  for (auto n = static_cast<std::size_t>(options.ngram_min);
       n <= static_cast<std::size_t>(options.ngram_max); ++n) {
    // w[0:n] is the whole padded word when it is shorter than n.
    terms.push_back(code_point_slice(padded, offsets, 0, std::min(n, length)));
    std::size_t offset = 0;
    while (offset + n < length) {
      ++offset;
      terms.push_back(code_point_slice(padded, offsets, offset, offset + n));
    }
    if (offset == 0) {
      break;  // scikit-learn counts a word no longer than n only once
    }
  }
}

// Char_wb analyzer, after lower-casing. Folding whitespace runs does not change what
// text.split() returns, so the words are taken straight from the lowered text.
void analyze_padded_words(const AnalyzerOptions& options, std::string_view text,
                          std::string& joined, std::vector<std::uint32_t>& offsets,
                          std::vector<std::string_view>& terms) {
  // The padded words are stored as " w1 w2 ... wk ": neighbours share a padding space, which no
  // n-gram crosses. Every word but the first follows at least one whitespace byte of `text`, so
  // the reservation holds everything and the views taken below stay valid.
  joined.clear();
  joined.reserve(text.size() + 2);
  const char* const storage = joined.data();
  joined.push_back(' ');
  for_each_run<RunClass::kNotSpace>(text, [&](std::size_t begin, std::size_t end) {
    const std::size_t padded_begin = joined.size() - 1;
    joined.append(text.substr(begin, end - begin));
    joined.push_back(' ');
    const std::string_view padded = std::string_view(joined).substr(padded_begin);
    code_point_offsets(padded, offsets);
    padded_word_ngrams(options, padded, offsets, terms);
  });
  PARAFEAT_DCHECK(joined.data() == storage);
}

}  // namespace

Status validate_analyzer_options(const AnalyzerOptions& options) {
  if (options.ngram_min < 1 || options.ngram_min > options.ngram_max) {
    return Status::Invalid("ngram_range must satisfy 1 <= min_n <= max_n, got (" +
                           std::to_string(options.ngram_min) + ", " +
                           std::to_string(options.ngram_max) + ")");
  }
  return Status::OK();
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(std::move(options)) {
  PARAFEAT_DCHECK(validate_analyzer_options(options_).ok());
  std::sort(options_.stop_words.begin(), options_.stop_words.end());
}

Result<std::string_view> Analyzer::prepare(std::string_view document, TextForm form,
                                           AnalyzerScratch& scratch) const {
  std::string_view text = document;
  if (form == TextForm::kPythonLower) {
    if (!options_.lowercase) {
      return Status::Internal("the text analyzer got lowered text but does not lower");
    }
  } else if (options_.lowercase) {
    scratch.lowered_.clear();
    PARAFEAT_RETURN_NOT_OK(unicode::append_python_lower(document, scratch.lowered_));
    text = scratch.lowered_;
  } else {
    PARAFEAT_RETURN_NOT_OK(unicode::validate_utf8(document));
  }
  if (options_.strip_accents) {
    scratch.stripped_.clear();
    unicode::append_without_accents(text, *options_.strip_accents, scratch.stripped_);
    text = scratch.stripped_;
  }
  if (text.size() > kMaxAnalyzedBytes) {
    return Status::Invalid("document of " + std::to_string(document.size()) +
                           " bytes is too large for the text analyzer (limit 4 GiB)");
  }
  return text;
}

Status Analyzer::analyze(std::string_view document, TextForm form, AnalyzerScratch& scratch) const {
  scratch.terms_.clear();
  PARAFEAT_ASSIGN_OR_RAISE(const std::string_view text, prepare(document, form, scratch));
  switch (options_.kind) {
    case AnalyzerKind::kWord:
      return analyze_words(options_, text, scratch.tokens_, scratch.joined_, scratch.offsets_,
                           scratch.terms_);
    case AnalyzerKind::kChar: {
      // Folding rewrites the text, which must be the scratch's own copy for that.
      std::string& folded = scratch.lowered_;
      if (text.data() != folded.data()) folded.assign(text);
      fold_white_space_runs(folded);
      analyze_chars(options_, folded, scratch.offsets_, scratch.terms_);
      break;
    }
    case AnalyzerKind::kCharWb:
      analyze_padded_words(options_, text, scratch.joined_, scratch.offsets_, scratch.terms_);
      break;
  }
  return Status::OK();
}

}  // namespace parafeat::text
