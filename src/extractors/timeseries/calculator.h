// Time-series calculators: scalar kernels over one series, bound to the parameter sets a
// tsfresh-style settings dict asks for. A calculator never sees threads: the series extractor
// (series_extractor.h) runs it on many series at once.
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/param_reader.h"
#include "parafeat/fork_join.h"
#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat::timeseries {

/// One series, sorted, as float64 values (never NaN: inputs with NaN are rejected, as tsfresh
/// rejects them; +-inf may occur).
using Series = std::span<const double>;

/// A calculator bound to its parameter sets. Immutable; compute() is called from many threads.
class Calculator {
 public:
  virtual ~Calculator() = default;
  /// Writes one value per parameter set (one for a calculator without parameters) into `out`,
  /// in the order of the parameter sets it was bound to. Booleans and counts are written as
  /// 0.0/1.0 and exact integers, as tsfresh's float64 output holds them.
  virtual void compute(Series x, std::span<double> out) const = 0;
  /// compute(), with `fork` to run independent parts of the work (row blocks, widths) as tasks
  /// the executor may give to idle threads. Must write the very bytes compute() writes; the
  /// default is compute() itself.
  virtual void compute_forked(Series x, std::span<double> out, const ForkJoin& /*fork*/) const {
    compute(x, out);
  }
};

/// Binds the calculator `name` to its parameter sets (empty: a calculator without parameters).
using CalculatorBinder = Result<std::unique_ptr<Calculator>> (*)(std::string_view name,
                                                                 std::span<const Params> sets);
/// The parameter sets tsfresh's ComprehensiveFCParameters gives a calculator.
using DefaultParams = std::vector<Params> (*)();
/// The feature name suffix for one parameter set (see feature_names.h for the default).
using SuffixNamer = std::string (*)(const Params& set);

/// One row of the calculator table (calculator_table.cc), in tsfresh's settings order.
struct CalculatorDef {
  std::string_view name;             ///< tsfresh's function name, e.g. "fft_coefficient".
  bool combiner = false;             ///< tsfresh fctype "combiner" (one call for all sets).
  bool minimal = false;              ///< In MinimalFCParameters.
  bool high_comp_cost = false;       ///< Left out of EfficientFCParameters.
  DefaultParams defaults = nullptr;  ///< nullptr: the calculator takes no parameters.
  CalculatorBinder bind = nullptr;   ///< nullptr: not implemented in parafeat yet.
  SuffixNamer suffix = nullptr;      ///< nullptr: tsfresh's sorted "key_value__..." format.
  /// Needs the series' DatetimeIndex (tsfresh skips it, with a warning, for other indexes).
  bool needs_datetime_index = false;
};

/// CalculatorDef::needs_datetime_index, spelled out in the table.
inline constexpr bool kNeedsDatetimeIndex = true;

/// Every calculator of tsfresh's ComprehensiveFCParameters, in its order.
std::span<const CalculatorDef> calculator_table();
/// The row named `name`, or KeyError naming the known calculators.
Result<const CalculatorDef*> find_calculator(std::string_view name);

/// Binds `def` to `sets`: NotImplemented when parafeat lacks it, Invalid for parameters it does
/// not take or lacks. Errors name the calculator.
Result<std::unique_ptr<Calculator>> bind_calculator(const CalculatorDef& def,
                                                    std::span<const Params> sets);
/// The feature names (without the kind prefix) `def` gives for `sets`: "mean",
/// "fft_coefficient__attr_\"real\"__coeff_3", ...
std::vector<std::string> feature_suffixes(const CalculatorDef& def, std::span<const Params> sets);

// ---- helpers for calculator authors ----

/// A kernel without parameters.
using PlainKernel = double (*)(Series x);

/// Binds a kernel without parameters (sets must be empty).
template <PlainKernel kKernel>
Result<std::unique_ptr<Calculator>> bind_plain(std::string_view name, std::span<const Params> sets);

/// Fails unless every key of `keys` is in `set`, naming the calculator and the missing key.
Status require_keys(std::string_view calculator, const Params& set,
                    std::initializer_list<std::string_view> keys);

/// Reads the required parameter `key`, an int in [minimum, 2^31): a lag, a count, a length.
Result<std::size_t> read_count(ParamReader& reader, const Params& set, std::string_view key,
                               std::int64_t minimum = 0);
/// Reads the required parameter `key`, a number (int or float) used as a float.
Result<double> read_number(ParamReader& reader, const Params& set, std::string_view key);

/// Binds a simple (per-parameter-set) kernel: `read` parses one set into P, `kernel` computes
/// the feature for one set. Every set must have exactly the keys `read` reads.
template <typename P>
struct PerSet {
  using Reader = Result<P> (*)(ParamReader& reader, const Params& set);
  using Kernel = double (*)(Series x, const P& p);
};

template <typename P, typename PerSet<P>::Reader kRead, typename PerSet<P>::Kernel kKernel>
Result<std::unique_ptr<Calculator>> bind_per_set(std::string_view name,
                                                 std::span<const Params> sets);

/// Parses every set with `read` (each with its own ParamReader owned by `name`, unknown keys
/// rejected); for combiners and per-set calculators alike.
template <typename P>
Result<std::vector<P>> read_sets(std::string_view name, std::span<const Params> sets,
                                 typename PerSet<P>::Reader read);

// ---- template definitions ----

namespace detail {
Status no_params_expected(std::string_view name, std::span<const Params> sets);
Status params_expected(std::string_view name, std::span<const Params> sets);

template <PlainKernel kKernel>
class PlainCalculator final : public Calculator {
 public:
  void compute(Series x, std::span<double> out) const override { out[0] = kKernel(x); }
};

template <typename P, typename PerSet<P>::Kernel kKernel>
class PerSetCalculator final : public Calculator {
 public:
  explicit PerSetCalculator(std::vector<P> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    for (std::size_t i = 0; i < sets_.size(); ++i) out[i] = kKernel(x, sets_[i]);
  }

 private:
  std::vector<P> sets_;
};
}  // namespace detail

template <PlainKernel kKernel>
Result<std::unique_ptr<Calculator>> bind_plain(std::string_view name,
                                               std::span<const Params> sets) {
  PARAFEAT_RETURN_NOT_OK(detail::no_params_expected(name, sets));
  return std::unique_ptr<Calculator>(std::make_unique<detail::PlainCalculator<kKernel>>());
}

template <typename P>
Result<std::vector<P>> read_sets(std::string_view name, std::span<const Params> sets,
                                 typename PerSet<P>::Reader read) {
  PARAFEAT_RETURN_NOT_OK(detail::params_expected(name, sets));
  std::vector<P> parsed;
  parsed.reserve(sets.size());
  for (const Params& set : sets) {
    ParamReader reader(name, set);
    PARAFEAT_ASSIGN_OR_RAISE(P p, read(reader, set));
    PARAFEAT_RETURN_NOT_OK(reader.finish());
    parsed.push_back(std::move(p));
  }
  return parsed;
}

template <typename P, typename PerSet<P>::Reader kRead, typename PerSet<P>::Kernel kKernel>
Result<std::unique_ptr<Calculator>> bind_per_set(std::string_view name,
                                                 std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<P> parsed, read_sets<P>(name, sets, kRead));
  return std::unique_ptr<Calculator>(
      std::make_unique<detail::PerSetCalculator<P, kKernel>>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
