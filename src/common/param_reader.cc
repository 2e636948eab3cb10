#include "common/param_reader.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "common/text_format.h"

namespace parafeat {
namespace {

const std::int64_t* as_integer(const ParamValue& value) {
  return std::get_if<std::int64_t>(&value.storage());
}

std::string range_text(std::int64_t min, std::int64_t max) {
  const bool unbounded = max == std::numeric_limits<std::int64_t>::max();
  std::string text = "[";
  text.append(std::to_string(min)).append(", ");
  return unbounded ? text.append("inf)") : text.append(std::to_string(max)).append("]");
}

}  // namespace

ParamReader::ParamReader(std::string_view owner, const Params& given)
    : owner_(owner), given_(given) {}

const ParamValue* ParamReader::take(std::string_view key) {
  read_.emplace(key);
  auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

Status ParamReader::wrong(std::string_view key, const ParamValue& value,
                          std::string_view expected) const {
  return Status::Invalid(owner_ + ": parameter '" + std::string(key) + "' must be " +
                         std::string(expected) + ", got " + value.repr() + " (" +
                         value.type_name() + ")");
}

Result<std::int64_t> ParamReader::integer(std::string_view key, std::int64_t fallback,
                                          std::int64_t min, std::int64_t max) {
  const ParamValue* given = take(key);
  std::int64_t value = fallback;
  if (given != nullptr) {
    const std::int64_t* number = as_integer(*given);
    if (number == nullptr || *number < min || *number > max) {
      return wrong(key, *given, "an int in " + range_text(min, max));
    }
    value = *number;
  }
  resolved_.insert_or_assign(std::string(key), ParamValue(value));
  return value;
}

Result<double> ParamReader::number(std::string_view key, double fallback) {
  const ParamValue* given = take(key);
  double value = fallback;
  if (given != nullptr) {
    if (const auto* d = std::get_if<double>(&given->storage())) {
      value = *d;
    } else if (const std::int64_t* i = as_integer(*given)) {
      value = static_cast<double>(*i);
    } else {
      return wrong(key, *given, "a number");
    }
  }
  resolved_.insert_or_assign(std::string(key), ParamValue(value));
  return value;
}

ParamValue ParamReader::any(std::string_view key, const ParamValue& fallback) {
  const ParamValue* given = take(key);
  ParamValue value = given != nullptr ? *given : fallback;
  resolved_.insert_or_assign(std::string(key), value);
  return value;
}

Result<bool> ParamReader::boolean(std::string_view key, bool fallback) {
  const ParamValue* given = take(key);
  bool value = fallback;
  if (given != nullptr) {
    const bool* flag = std::get_if<bool>(&given->storage());
    if (flag == nullptr) return wrong(key, *given, "True or False");
    value = *flag;
  }
  resolved_.insert_or_assign(std::string(key), ParamValue(value));
  return value;
}

Result<std::string> ParamReader::string(std::string_view key, std::string fallback) {
  const ParamValue* given = take(key);
  std::string value = std::move(fallback);
  if (given != nullptr) {
    const std::string* text = std::get_if<std::string>(&given->storage());
    if (text == nullptr) return wrong(key, *given, "a str");
    value = *text;
  }
  resolved_.insert_or_assign(std::string(key), ParamValue(value));
  return value;
}

Result<std::string> ParamReader::choice(std::string_view key, std::string fallback,
                                        std::initializer_list<std::string_view> allowed) {
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::string> value,
                           optional_choice(key, std::move(fallback), allowed));
  if (!value.has_value()) return wrong(key, ParamValue(), "one of " + quoted_list(allowed));
  return *value;
}

Result<std::optional<std::string>> ParamReader::optional_choice(
    std::string_view key, std::optional<std::string> fallback,
    std::initializer_list<std::string_view> allowed) {
  const ParamValue* given = take(key);
  std::optional<std::string> value = std::move(fallback);
  if (given != nullptr) {
    if (given->is_null()) {
      value.reset();
    } else {
      const std::string* text = std::get_if<std::string>(&given->storage());
      bool known = false;
      for (std::string_view option : allowed) known = known || (text != nullptr && *text == option);
      if (!known) return wrong(key, *given, "one of " + quoted_list(allowed) + " or None");
      value = *text;
    }
  }
  resolved_.insert_or_assign(std::string(key), value ? ParamValue(*value) : ParamValue());
  return value;
}

Result<std::pair<std::int64_t, std::int64_t>> ParamReader::integer_pair(
    std::string_view key, std::pair<std::int64_t, std::int64_t> fallback, std::int64_t min,
    std::int64_t max) {
  const ParamValue* given = take(key);
  std::pair<std::int64_t, std::int64_t> value = fallback;
  if (given != nullptr) {
    const ParamValue::List* list = std::get_if<ParamValue::List>(&given->storage());
    const std::string expected = "a pair of ints in " + range_text(min, max);
    if (list == nullptr || list->size() != 2) return wrong(key, *given, expected);
    const std::int64_t* first = as_integer((*list)[0]);
    const std::int64_t* second = as_integer((*list)[1]);
    if (first == nullptr || second == nullptr || *first < min || *first > max || *second < min ||
        *second > max) {
      return wrong(key, *given, expected);
    }
    value = {*first, *second};
  }
  resolved_.insert_or_assign(std::string(key),
                             ParamValue(ParamValue::List{value.first, value.second}));
  return value;
}

Result<std::optional<std::int64_t>> ParamReader::optional_integer(std::string_view key,
                                                                  std::int64_t min,
                                                                  std::int64_t max) {
  const ParamValue* given = take(key);
  if (given == nullptr || given->is_null()) {
    resolved_.insert_or_assign(std::string(key), ParamValue());
    return std::optional<std::int64_t>();
  }
  const std::int64_t* number = as_integer(*given);
  if (number == nullptr || *number < min || *number > max) {
    return wrong(key, *given, "an int in " + range_text(min, max) + " or None");
  }
  resolved_.insert_or_assign(std::string(key), *given);
  return std::optional<std::int64_t>(*number);
}

Result<std::variant<std::int64_t, double>> ParamReader::count_or_fraction(
    std::string_view key, std::variant<std::int64_t, double> fallback) {
  const ParamValue* given = take(key);
  std::variant<std::int64_t, double> value = fallback;
  if (given != nullptr) {
    const std::int64_t* count = as_integer(*given);
    const double* fraction = std::get_if<double>(&given->storage());
    if (count != nullptr && *count >= 1) {
      value = *count;
    } else if (fraction != nullptr && *fraction >= 0.0 && *fraction <= 1.0) {
      value = *fraction;
    } else {
      return wrong(key, *given, "an int in [1, inf) or a float in [0.0, 1.0]");
    }
  }
  resolved_.insert_or_assign(std::string(key),
                             std::visit([](auto v) { return ParamValue(v); }, value));
  return value;
}

Result<std::optional<std::vector<double>>> ParamReader::optional_number_list(std::string_view key) {
  const ParamValue* given = take(key);
  std::optional<std::vector<double>> value;
  if (given != nullptr && !given->is_null()) {
    const ParamValue::List* list = std::get_if<ParamValue::List>(&given->storage());
    if (list == nullptr) return wrong(key, *given, "a list of numbers or None");
    value.emplace();
    value->reserve(list->size());
    for (const ParamValue& item : *list) {
      if (const double* number = std::get_if<double>(&item.storage())) {
        value->push_back(*number);
      } else if (const std::int64_t* integer = as_integer(item)) {
        value->push_back(static_cast<double>(*integer));
      } else {
        return wrong(key, item, "a list of numbers or None (each item a number)");
      }
    }
  }
  resolved_.insert_or_assign(std::string(key), given != nullptr ? *given : ParamValue());
  return value;
}

Result<std::optional<std::vector<std::string>>> ParamReader::optional_string_list(
    std::string_view key) {
  const ParamValue* given = take(key);
  std::optional<std::vector<std::string>> value;
  if (given != nullptr && !given->is_null()) {
    const ParamValue::List* list = std::get_if<ParamValue::List>(&given->storage());
    if (list == nullptr) return wrong(key, *given, "a list of str or None");
    value.emplace();
    for (const ParamValue& item : *list) {
      const std::string* text = std::get_if<std::string>(&item.storage());
      if (text == nullptr) return wrong(key, *given, "a list of str or None");
      value->push_back(*text);
    }
  }
  resolved_.insert_or_assign(std::string(key), given != nullptr ? *given : ParamValue());
  return value;
}

Status ParamReader::only_default(std::string_view key, const ParamValue& expected) {
  const ParamValue* given = take(key);
  if (given != nullptr && !(*given == expected)) {
    return Status::NotImplemented(owner_ + ": parameter '" + std::string(key) +
                                  "' = " + given->repr() + " is not supported yet; only " +
                                  expected.repr() + " is");
  }
  resolved_.insert_or_assign(std::string(key), expected);
  return Status::OK();
}

Status ParamReader::restricted(std::string_view key, std::initializer_list<ParamValue> accepted,
                               std::string_view why) {
  const ParamValue* given = take(key);
  if (given != nullptr && std::find(accepted.begin(), accepted.end(), *given) == accepted.end()) {
    std::string values;
    for (const ParamValue& value : accepted) {
      values += (values.empty() ? "" : " or ") + value.repr();
    }
    return Status::Invalid(owner_ + ": parameter '" + std::string(key) + "' = " + given->repr() +
                           " is not available " + std::string(why) + "; accepted: " + values);
  }
  resolved_.insert_or_assign(std::string(key), given != nullptr ? *given : *accepted.begin());
  return Status::OK();
}

Status ParamReader::finish() const {
  std::vector<std::string_view> unknown;
  for (const auto& [key, value] : given_) {
    if (!read_.contains(key)) unknown.push_back(key);
  }
  if (unknown.empty()) return Status::OK();
  return Status::Invalid(owner_ + ": unknown parameter(s) " + quoted_list(unknown) +
                         "; known parameters: " + quoted_list(read_));
}

}  // namespace parafeat
