#include "arrow_ipc.h"

#include <arrow/api.h>
#include <arrow/c/bridge.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/api.h>

#include <memory>
#include <utility>

#include "server/response.h"

namespace parafeat::serve_tool {
namespace {

// The field metadata key of a dense output's feature names (a JSON list), as Pipeline.transform
// writes it.
constexpr const char* kFeatureNamesKey = "parafeat.feature_names";

Status from_arrow(const arrow::Status& status, std::string_view what) {
  return Status::Invalid(std::string(what) + ": " + status.message());
}

// Checks every offset, size and bound of `table`, whose bytes came from a client: the IPC reader
// checks only the buffers' sizes, and a corrupt offset would send the engine (or the combining
// of chunks) to read outside the body. Strings are checked as binary, leaving their UTF-8 to the
// engine, whose error names the row.
arrow::Status validate_untrusted(const arrow::Table& table) {
  for (const std::shared_ptr<arrow::ChunkedArray>& column : table.columns()) {
    for (const std::shared_ptr<arrow::Array>& chunk : column->chunks()) {
      std::shared_ptr<arrow::Array> bytes = chunk;
      if (chunk->type_id() == arrow::Type::STRING) {
        ARROW_ASSIGN_OR_RAISE(bytes, chunk->View(arrow::binary()));
      } else if (chunk->type_id() == arrow::Type::LARGE_STRING) {
        ARROW_ASSIGN_OR_RAISE(bytes, chunk->View(arrow::large_binary()));
      }
      ARROW_RETURN_NOT_OK(bytes->ValidateFull());
    }
  }
  return arrow::Status::OK();
}

}  // namespace

Result<Batch> read_ipc_stream(std::string_view body) {
  // A view of the body, not a copy: the batches are combined (copied) before it goes away.
  auto buffer = std::make_shared<arrow::Buffer>(reinterpret_cast<const std::uint8_t*>(body.data()),
                                                static_cast<std::int64_t>(body.size()));
  auto input = std::make_shared<arrow::io::BufferReader>(buffer);
  auto reader = arrow::ipc::RecordBatchStreamReader::Open(input);
  if (!reader.ok()) return from_arrow(reader.status(), "not an Arrow IPC stream");
  auto table = (*reader)->ToTable();
  if (!table.ok()) return from_arrow(table.status(), "unreadable Arrow IPC stream");
  const arrow::Status valid = validate_untrusted(**table);
  if (!valid.ok()) return from_arrow(valid, "corrupt Arrow IPC stream");
  auto combined = (*table)->CombineChunksToBatch();
  if (!combined.ok()) return from_arrow(combined.status(), "Arrow IPC stream");
  ArrowArray array{};
  ArrowSchema schema{};
  const arrow::Status exported = arrow::ExportRecordBatch(**combined, &array, &schema);
  if (!exported.ok()) return from_arrow(exported, "Arrow IPC stream");
  Result<Batch> batch = Batch::import(&array, &schema);
  if (!batch.ok()) {
    if (array.release != nullptr) array.release(&array);
    if (schema.release != nullptr) schema.release(&schema);
  }
  return batch;
}

Result<std::string> write_ipc_stream(std::vector<FeatureColumn> columns,
                                     const std::vector<std::vector<std::string>>& feature_names) {
  PARAFEAT_ASSIGN_OR_RAISE(Batch batch, make_feature_batch(std::move(columns)));
  ArrowArray array{};
  ArrowSchema schema{};
  std::move(batch).export_to(&array, &schema);
  auto imported = arrow::ImportRecordBatch(&array, &schema);
  if (!imported.ok()) return Status::Internal("exporting features: " + imported.status().message());
  std::shared_ptr<arrow::RecordBatch> features = *imported;
  std::vector<std::shared_ptr<arrow::Field>> fields = features->schema()->fields();
  for (std::size_t i = 0; i < fields.size() && i < feature_names.size(); ++i) {
    if (feature_names[i].empty()) continue;
    std::string names = "[";
    for (const std::string& name : feature_names[i]) {
      if (names.size() > 1) names += ", ";
      server::append_json_string(name, names);
    }
    names += "]";
    fields[i] = fields[i]->WithMetadata(arrow::key_value_metadata({kFeatureNamesKey}, {names}));
  }
  features =
      arrow::RecordBatch::Make(arrow::schema(fields), features->num_rows(), features->columns());
  auto sink = arrow::io::BufferOutputStream::Create();
  if (!sink.ok()) return Status::Internal(sink.status().message());
  auto writer = arrow::ipc::MakeStreamWriter(*sink, features->schema());
  if (!writer.ok()) return Status::Internal(writer.status().message());
  arrow::Status written = (*writer)->WriteRecordBatch(*features);
  if (written.ok()) written = (*writer)->Close();
  if (!written.ok()) return Status::Internal(written.message());
  auto finished = (*sink)->Finish();
  if (!finished.ok()) return Status::Internal(finished.status().message());
  return (*finished)->ToString();
}

}  // namespace parafeat::serve_tool
