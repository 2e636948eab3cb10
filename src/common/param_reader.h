// ParamReader: typed, validated access to an extractor's parameters. Every read records the value
// it settled on (the given one or the default), and finish() rejects keys nobody read, so a typo
// in a YAML spec or a keyword argument is an error that names it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat {

class ParamReader {
 public:
  /// `owner` names the extractor in messages, e.g. "hashing_vectorizer".
  ParamReader(std::string_view owner, const Params& given);

  /// An integer in [min, max].
  Result<std::int64_t> integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                               std::int64_t max);
  /// A number (an int or a float), as a float.
  Result<double> number(std::string_view key, double fallback);
  /// True or False.
  Result<bool> boolean(std::string_view key, bool fallback);
  /// Any string.
  Result<std::string> string(std::string_view key, std::string fallback);
  /// One of `allowed`.
  Result<std::string> choice(std::string_view key, std::string fallback,
                             std::initializer_list<std::string_view> allowed);
  /// One of `allowed`, or None (nullopt).
  Result<std::optional<std::string>> optional_choice(
      std::string_view key, std::optional<std::string> fallback,
      std::initializer_list<std::string_view> allowed);
  /// A pair of integers (a Python tuple or a YAML list of two), each in [min, max].
  Result<std::pair<std::int64_t, std::int64_t>> integer_pair(
      std::string_view key, std::pair<std::int64_t, std::int64_t> fallback, std::int64_t min,
      std::int64_t max);
  /// An int in [min, max], or None (nullopt).
  Result<std::optional<std::int64_t>> optional_integer(std::string_view key, std::int64_t min,
                                                       std::int64_t max);
  /// A document count (an int >= 1) or a fraction of the documents (a float in [0.0, 1.0]), as
  /// scikit-learn's max_df and min_df are.
  Result<std::variant<std::int64_t, double>> count_or_fraction(
      std::string_view key, std::variant<std::int64_t, double> fallback);
  /// A list of numbers (floats or ints), or None (nullopt).
  Result<std::optional<std::vector<double>>> optional_number_list(std::string_view key);
  /// A list of strings, or None (nullopt).
  Result<std::optional<std::vector<std::string>>> optional_string_list(std::string_view key);
  /// Any value (the caller checks it), or `fallback` when the key is absent.
  ParamValue any(std::string_view key, const ParamValue& fallback);
  /// Accepts only `expected` (a parameter parafeat knows but only supports at its default); any
  /// other value is NotImplemented with a message naming the key.
  Status only_default(std::string_view key, const ParamValue& expected);

  /// Accepts only the values in `accepted` (the first is the default): another value is Invalid,
  /// with a message naming the key, the values accepted and `why` (e.g. "in compat='spark'").
  Status restricted(std::string_view key, std::initializer_list<ParamValue> accepted,
                    std::string_view why);

  /// Fails naming every given key that no read asked for.
  Status finish() const;
  /// The extractor named in messages.
  const std::string& owner() const { return owner_; }
  /// Every parameter read, with the value used: the resolved parameters.
  const Params& resolved() const { return resolved_; }

 private:
  const ParamValue* take(std::string_view key);
  Status wrong(std::string_view key, const ParamValue& value, std::string_view expected) const;

  std::string owner_;
  const Params& given_;
  std::set<std::string, std::less<>> read_;
  Params resolved_;
};

}  // namespace parafeat
