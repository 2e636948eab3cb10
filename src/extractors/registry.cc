// The registry: every family's registration table, joined in a fixed order.
#include <array>
#include <string>
#include <vector>

#include "common/text_format.h"
#include "extractors/registration.h"

namespace parafeat {
namespace {

using FamilyTable = std::span<const ExtractorRegistration> (*)();
constexpr std::array<FamilyTable, 2> kFamilies{&text::registrations, &timeseries::registrations};

const std::vector<ExtractorInfo>& all_infos() {
  static const std::vector<ExtractorInfo> infos = [] {
    std::vector<ExtractorInfo> joined;
    for (FamilyTable family : kFamilies) {
      for (const ExtractorRegistration& entry : family()) joined.push_back(entry.info);
    }
    return joined;
  }();
  return infos;
}

}  // namespace

std::span<const ExtractorInfo> registered_extractors() {
  return all_infos();
}

Result<std::unique_ptr<Extractor>> make_extractor(std::string_view name, const Params& params) {
  for (FamilyTable family : kFamilies) {
    for (const ExtractorRegistration& entry : family()) {
      if (entry.info.name == name) return entry.make(params);
    }
  }
  std::vector<std::string_view> known;
  for (const ExtractorInfo& info : all_infos()) known.push_back(info.name);
  return Status::KeyError("unknown extractor '" + std::string(name) +
                          "'; registered extractors: " + quoted_list(known));
}

}  // namespace parafeat
