#include "state/pipeline_state.h"

#include <utility>

#include "state/byte_codec.h"
#include "state/state_file.h"

namespace parafeat::state {

std::string encode_pipeline_entries(const std::vector<PipelineEntry>& entries) {
  ByteWriter writer;
  for (const auto& [name, value] : entries) {
    writer.bytes(name);
    writer.bytes(value);
  }
  return writer.take();
}

Result<std::vector<PipelineEntry>> decode_pipeline_entries(std::string_view payload) {
  ByteReader reader(payload, "pipeline state");
  std::vector<PipelineEntry> entries;
  while (reader.remaining() > 0) {
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view name, reader.bytes("a step's output name"));
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view value, reader.bytes("a step's state"));
    entries.emplace_back(name, value);
  }
  return entries;
}

Result<std::string> read_fitted_pipeline_spec(std::string_view file_bytes) {
  PARAFEAT_ASSIGN_OR_RAISE(StateEnvelope envelope, decode_state(file_bytes, kPipelineStateKind));
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<PipelineEntry> entries,
                           decode_pipeline_entries(envelope.payload));
  for (auto& [name, value] : entries) {
    if (name == kFittedSpecEntry) return std::move(value);
  }
  return Status::Invalid(
      "pipeline state: it holds no fitted spec (it was saved by an older parafeat): load it and "
      "save it again with this version (parafeat.Pipeline.load(path).save(path)), or serve it "
      "with `parafeat serve --state`");
}

}  // namespace parafeat::state
