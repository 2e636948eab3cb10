// Conversion between YAML nodes and extractor Params (YAML 1.2 core schema for plain scalars).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat {

/// How many values (scalars, lists, mappings) reading one spec may make: a bound on what YAML
/// aliases expand to, so that a spec of a few lines cannot make billions ("billion laughs"). A
/// spec written out holds fewer values than bytes; aliases get room for modest reuse beyond.
class ValueBudget {
 public:
  explicit ValueBudget(std::size_t spec_bytes) : left_(spec_bytes + kReuse) {}
  /// Takes one value; Invalid, naming `where`, once the spec has made more than its bound.
  Status take(const std::string& where);

 private:
  static constexpr std::size_t kReuse = 100000;
  std::size_t left_;
};

/// A YAML mapping's entries in order, each key read as a string.
using MappingEntries = std::vector<std::pair<std::string, YAML::Node>>;

/// The entries of `map`. Invalid, naming `where`, for a key that is a list or a mapping, or a key
/// given twice (YAML forbids it; parsers that accept it disagree on which value wins).
Result<MappingEntries> mapping_entries(const YAML::Node& map, const std::string& where);

/// Reads a YAML mapping of parameters. Plain scalars become null, bool, int or float when they
/// read as one (null/~, true/false, 42, 0.5, .inf); quoted scalars are always strings; sequences
/// become lists. `where` names the node in error messages; every value is taken from `budget`.
Result<Params> params_from_yaml(const YAML::Node& node, const std::string& where,
                                ValueBudget& budget);

/// Writes `params` as a YAML mapping that params_from_yaml reads back to the same Params.
void emit_params(YAML::Emitter& out, const Params& params);

}  // namespace parafeat
