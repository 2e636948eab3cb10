// Feature names exactly as tsfresh writes them: "<kind>__<calculator>__<key>_<value>__...", with
// parameter values rendered by Python's str() (strings in double quotes) and keys sorted.
#pragma once

#include <string>

#include "parafeat/params.h"

namespace parafeat::timeseries {

/// Python's repr() of a float: the shortest round-tripping digits, in positional notation for
/// exponents in [-4, 16) (1000000000000.0, 0.05) and scientific otherwise (1e-05, 1e+16).
std::string python_float(double value);
/// How a list parameter value is shown: as Python shows a tuple, "(2, 5, 10, 20)", which is how
/// tsfresh's own settings give lists, or as it shows a list, "[0.0, 1.0, 0.0]".
enum class ListStyle { kTuple, kList };
/// Python's str() of a parameter value as a feature name shows it: None, True, 3, 0.5, strings
/// as "text" (in double quotes, as tsfresh quotes them), lists in `lists` style.
std::string python_value(const ParamValue& value, ListStyle lists = ListStyle::kTuple);
/// tsfresh's convert_to_output_format: "key_value" pairs in key order joined by "__".
std::string sorted_suffix(const Params& set, ListStyle lists = ListStyle::kTuple);

}  // namespace parafeat::timeseries
