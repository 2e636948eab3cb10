#include "arrow_capsules.h"

#include "errors.h"

namespace nb = nanobind;

namespace parafeat::python {
namespace {

template <typename T>
T* capsule_pointer(nb::handle capsule, const char* name) {
  void* pointer = PyCapsule_GetPointer(capsule.ptr(), name);
  if (pointer == nullptr) throw nb::python_error();
  return static_cast<T*>(pointer);
}

// Capsule destructors, as the PyCapsule interface specifies: release the struct if the consumer
// did not move it out, then free the struct itself.
template <typename T>
void destroy_capsule(PyObject* capsule, const char* name) {
  auto* value = static_cast<T*>(PyCapsule_GetPointer(capsule, name));
  if (value == nullptr) {
    PyErr_Clear();
    return;
  }
  if (value->release != nullptr) value->release(value);
  delete value;
}

void destroy_schema(PyObject* capsule) {
  destroy_capsule<ArrowSchema>(capsule, "arrow_schema");
}
void destroy_array(PyObject* capsule) {
  destroy_capsule<ArrowArray>(capsule, "arrow_array");
}
void destroy_stream(PyObject* capsule) {
  destroy_capsule<ArrowArrayStream>(capsule, "arrow_array_stream");
}

template <typename T>
nb::object make_capsule(T* value, const char* name, PyCapsule_Destructor destructor) {
  return nb::steal(PyCapsule_New(value, name, destructor));
}

}  // namespace

Batch import_batch(nb::handle schema_capsule, nb::handle array_capsule) {
  auto* schema = capsule_pointer<ArrowSchema>(schema_capsule, "arrow_schema");
  auto* array = capsule_pointer<ArrowArray>(array_capsule, "arrow_array");
  return value_or_raise(Batch::import(array, schema));
}

nb::tuple export_batch(Batch batch) {
  auto schema = std::make_unique<ArrowSchema>();
  auto array = std::make_unique<ArrowArray>();
  std::move(batch).export_to(array.get(), schema.get());
  nb::object schema_capsule = make_capsule(schema.release(), "arrow_schema", destroy_schema);
  nb::object array_capsule = make_capsule(array.release(), "arrow_array", destroy_array);
  return nb::make_tuple(schema_capsule, array_capsule);
}

nb::capsule export_stream(std::unique_ptr<BatchReader> reader) {
  auto stream = std::make_unique<ArrowArrayStream>();
  export_batch_stream(std::move(reader), stream.get());
  return nb::borrow<nb::capsule>(
      make_capsule(stream.release(), "arrow_array_stream", destroy_stream));
}

}  // namespace parafeat::python
