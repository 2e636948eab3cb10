// The versioned container every serialised fit state travels in (the bytes of a .pfstate file,
// of a Spark partition's partial state, ...): a magic line, the container version, the kind of
// state, the spec it was fitted under, the state's own payload and a checksum of all of it. A
// file from another version, of another kind, truncated or corrupted is a clear error, never
// garbage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parafeat/status.h"

namespace parafeat::state {

/// A decoded container.
struct StateEnvelope {
  std::string kind;     ///< What the payload is, e.g. "vocabulary".
  std::string spec;     ///< The parameters the state was fitted under, as canonical text.
  std::string payload;  ///< The state's own encoding.
};

/// The version of the container format written by this build (and the only one it reads).
inline constexpr std::uint32_t kStateFormatVersion = 1;

/// The bytes of `envelope` in the container format.
std::string encode_state(const StateEnvelope& envelope);

/// Decodes container bytes, checking the magic, version, checksum and that the kind is
/// `expected_kind`; errors say what is wrong and what was expected.
Result<StateEnvelope> decode_state(std::string_view bytes, std::string_view expected_kind);

}  // namespace parafeat::state
