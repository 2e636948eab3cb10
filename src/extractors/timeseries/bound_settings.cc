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
  if (!fork.parallel()) {
    for (std::size_t c = 0; c < calculators_.size(); ++c) {
      calculators_[c]->compute(x, out.subspan(offsets_[c], widths_[c]));
    }
    return;
  }
  fork.run(calculators_.size(), [&](std::size_t c) {
    calculators_[c]->compute_forked(x, out.subspan(offsets_[c], widths_[c]), fork);
  });
}

}  // namespace parafeat::timeseries
