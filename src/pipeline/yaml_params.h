// Conversion between YAML nodes and extractor Params (YAML 1.2 core schema for plain scalars).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat {

/// Reads a YAML mapping of parameters. Plain scalars become null, bool, int or float when they
/// read as one (null/~, true/false, 42, 0.5, .inf); quoted scalars are always strings; sequences
/// become lists. `where` names the node in error messages.
Result<Params> params_from_yaml(const YAML::Node& node, const std::string& where);

/// Writes `params` as a YAML mapping that params_from_yaml reads back to the same Params.
void emit_params(YAML::Emitter& out, const Params& params);

}  // namespace parafeat
