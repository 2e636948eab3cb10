#include "state/pipeline_state.h"

#include "state/byte_codec.h"
#include "state/state_file.h"

namespace parafeat::state {

Result<std::string> read_fitted_pipeline_spec(std::string_view file_bytes) {
  PARAFEAT_ASSIGN_OR_RAISE(StateEnvelope envelope, decode_state(file_bytes, kPipelineStateKind));
  ByteReader reader(envelope.payload, "pipeline state");
  while (reader.remaining() > 0) {
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view name, reader.bytes("a step's output name"));
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view value, reader.bytes("a step's state"));
    if (name == kFittedSpecEntry) return std::string(value);
  }
  return Status::Invalid(
      "pipeline state: it holds no fitted spec (it was saved by an older parafeat): load it and "
      "save it again with this version (parafeat.Pipeline.load(path).save(path)), or serve it "
      "with `parafeat serve --state`");
}

}  // namespace parafeat::state
