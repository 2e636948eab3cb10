// The registration table of every extractor family.
#include <array>

#include "parafeat/extractor.h"

namespace parafeat {
namespace {

constexpr std::array<ExtractorInfo, 0> kExtractors{};

}  // namespace

std::span<const ExtractorInfo> registered_extractors() { return kExtractors; }

Result<std::unique_ptr<Extractor>> make_extractor(std::string_view name, const Params&) {
  return Status::KeyError("unknown extractor '" + std::string(name) + "'");
}

}  // namespace parafeat
