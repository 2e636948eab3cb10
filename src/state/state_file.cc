#include "state/state_file.h"

#include "common/murmurhash3.h"
#include "state/byte_codec.h"

namespace parafeat::state {
namespace {

constexpr std::string_view kMagic = "PARAFEAT-STATE\n";
constexpr std::string_view kOwner = "parafeat state";

std::uint32_t checksum(std::string_view bytes) {
  return murmurhash3_x86_32(bytes, kStateFormatVersion);
}

}  // namespace

std::string encode_state(const StateEnvelope& envelope) {
  ByteWriter writer;
  writer.u32(kStateFormatVersion);
  writer.bytes(envelope.kind);
  writer.bytes(envelope.spec);
  writer.bytes(envelope.payload);
  std::string out(kMagic);
  out += writer.data();
  ByteWriter trailer;
  trailer.u32(checksum(out));
  return out + trailer.data();
}

Result<StateEnvelope> decode_state(std::string_view bytes, std::string_view expected_kind) {
  if (!bytes.starts_with(kMagic)) {
    return Status::Invalid(std::string(kOwner) +
                           ": not a parafeat state (it does not start with the state header)");
  }
  ByteReader reader(bytes.substr(kMagic.size()), std::string(kOwner));
  PARAFEAT_ASSIGN_OR_RAISE(std::uint32_t version, reader.u32("the format version"));
  if (version != kStateFormatVersion) {
    return Status::Invalid(std::string(kOwner) + ": format version " + std::to_string(version) +
                           " is not supported; this parafeat reads version " +
                           std::to_string(kStateFormatVersion) + " (fit again with this version)");
  }
  StateEnvelope envelope;
  PARAFEAT_ASSIGN_OR_RAISE(std::string_view kind, reader.bytes("the state kind"));
  PARAFEAT_ASSIGN_OR_RAISE(std::string_view spec, reader.bytes("the spec"));
  PARAFEAT_ASSIGN_OR_RAISE(std::string_view payload, reader.bytes("the payload"));
  const std::size_t checked = kMagic.size() + reader.position();
  PARAFEAT_ASSIGN_OR_RAISE(std::uint32_t stored, reader.u32("the checksum"));
  if (reader.remaining() != 0) {
    return reader.invalid(std::to_string(reader.remaining()) + " unexpected bytes after the end");
  }
  if (stored != checksum(bytes.substr(0, checked))) {
    return Status::Invalid(std::string(kOwner) + ": checksum mismatch, the state is corrupted");
  }
  if (kind != expected_kind) {
    return Status::Invalid(std::string(kOwner) + ": holds a '" + std::string(kind) +
                           "' state, expected a '" + std::string(expected_kind) + "' state");
  }
  envelope.kind = kind;
  envelope.spec = spec;
  envelope.payload = payload;
  return envelope;
}

}  // namespace parafeat::state
