#include "params.h"

#include <nanobind/stl/string.h>

#include <string>
#include <utility>

#include "errors.h"

namespace nb = nanobind;

namespace parafeat::python {
namespace {

Result<ParamValue> param_from_python(nb::handle value, const std::string& key) {
  if (value.is_none()) return ParamValue();
  if (PyBool_Check(value.ptr())) return ParamValue(value.ptr() == Py_True);
  if (PyLong_Check(value.ptr())) {
    int overflow = 0;
    const long long number = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0) return Status::Invalid("parameter '" + key + "' is out of range");
    return ParamValue(static_cast<std::int64_t>(number));
  }
  if (PyFloat_Check(value.ptr())) return ParamValue(PyFloat_AS_DOUBLE(value.ptr()));
  if (PyUnicode_Check(value.ptr())) return ParamValue(nb::cast<std::string>(value));
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    ParamValue::List list;
    for (nb::handle item : nb::iter(value)) {
      PARAFEAT_ASSIGN_OR_RAISE(ParamValue converted, param_from_python(item, key));
      list.push_back(std::move(converted));
    }
    return ParamValue(std::move(list));
  }
  if (PyDict_Check(value.ptr())) {
    ParamValue::Map map;
    for (auto [item_key, item] : nb::cast<nb::dict>(value)) {
      if (!PyUnicode_Check(item_key.ptr())) {
        return Status::TypeError("parameter '" + key + "': mapping keys must be str");
      }
      const std::string name = nb::cast<std::string>(item_key);
      PARAFEAT_ASSIGN_OR_RAISE(ParamValue converted, param_from_python(item, key + "." + name));
      map.emplace_back(name, std::move(converted));
    }
    return ParamValue(std::move(map));
  }
  if (nb::hasattr(value, "ndim") && nb::hasattr(value, "tolist") &&
      nb::cast<int>(value.attr("ndim")) > 0) {  // a numpy array: as the (nested) list it holds
    return param_from_python(value.attr("tolist")(), key);
  }
  if (nb::hasattr(value, "dtype") && nb::hasattr(value, "item")) {  // a numpy scalar
    return param_from_python(value.attr("item")(), key);
  }
  const std::string type = nb::cast<std::string>(nb::handle(Py_TYPE(value.ptr())).attr("__name__"));
  return Status::TypeError("parameter '" + key + "' has unsupported type " + type);
}

nb::object param_to_python(const ParamValue& value) {
  struct Visitor {
    nb::object operator()(std::monostate) const { return nb::none(); }
    nb::object operator()(bool v) const { return nb::bool_(v); }
    nb::object operator()(std::int64_t v) const { return nb::int_(v); }
    nb::object operator()(double v) const { return nb::float_(v); }
    nb::object operator()(const std::string& v) const { return nb::str(v.c_str(), v.size()); }
    nb::object operator()(const ParamValue::List& v) const {
      nb::list list;
      for (const ParamValue& item : v) list.append(param_to_python(item));
      return nb::tuple(list);
    }
    nb::object operator()(const ParamValue::Map& v) const {
      nb::dict dict;
      for (const auto& [key, item] : v) dict[key.c_str()] = param_to_python(item);
      return dict;
    }
  };
  return std::visit(Visitor{}, value.storage());
}

}  // namespace

Params params_from_python(const nb::dict& values) {
  Params params;
  for (auto [key, value] : values) {
    const std::string name = nb::cast<std::string>(key);
    params.insert_or_assign(name, value_or_raise(param_from_python(value, name)));
  }
  return params;
}

nb::dict params_to_python(const Params& params) {
  nb::dict values;
  for (const auto& [key, value] : params) values[key.c_str()] = param_to_python(value);
  return values;
}

}  // namespace parafeat::python
