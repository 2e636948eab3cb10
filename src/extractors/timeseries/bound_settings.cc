#include "extractors/timeseries/bound_settings.h"

#include <string>
#include <utility>

#include "common/text_format.h"

namespace parafeat::timeseries {

Result<BoundSettings> BoundSettings::bind(const KindSettings& settings) {
  BoundSettings bound;
  std::vector<std::string> missing;
  for (const CalculatorRequest& request : settings) {
    PARAFEAT_ASSIGN_OR_RAISE(const CalculatorDef* def, find_calculator(request.name));
    if (def->needs_datetime_index) continue;  // tsfresh skips it for non-datetime indexes
    if (def->bind == nullptr) {
      missing.push_back(request.name);
      continue;
    }
    PARAFEAT_ASSIGN_OR_RAISE(std::unique_ptr<Calculator> calculator,
                             bind_calculator(*def, request.sets));
    bound.calculators_.push_back(std::move(calculator));
    bound.widths_.push_back(request.sets.empty() ? 1 : request.sets.size());
    bound.offsets_.push_back(bound.num_columns_);
    bound.num_columns_ += bound.widths_.back();
  }
  if (!missing.empty()) {
    return Status::NotImplemented(
        "calculator(s) not implemented in parafeat yet: " + quoted_list(missing) +
        "; remove them from the settings to extract the others");
  }
  return bound;
}

void BoundSettings::compute(Series x, std::span<double> out, const ForkJoin& fork) const {
  // A calculator a task, even through a serial ForkJoin: one that skips tasks once a run is
  // cancelled is then heard between calculators.
  const bool parallel = fork.parallel();
  fork.run(calculators_.size(), [&](std::size_t c) {
    const std::span<double> calculator_out = out.subspan(offsets_[c], widths_[c]);
    if (parallel) {
      calculators_[c]->compute_forked(x, calculator_out, fork);
    } else {
      calculators_[c]->compute(x, calculator_out);
    }
  });
}

}  // namespace parafeat::timeseries
