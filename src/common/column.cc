#include "parafeat/column.h"

namespace parafeat {

StringColumn StringColumn::with_offsets32(const char* data, const std::int32_t* offsets,
                                          const std::uint8_t* validity, std::int64_t length,
                                          std::int64_t row_offset) {
  StringColumn column;
  column.data_ = data;
  column.offsets32_ = offsets;
  column.validity_ = validity;
  column.length_ = length;
  column.row_offset_ = row_offset;
  return column;
}

StringColumn StringColumn::with_offsets64(const char* data, const std::int64_t* offsets,
                                          const std::uint8_t* validity, std::int64_t length,
                                          std::int64_t row_offset) {
  StringColumn column;
  column.data_ = data;
  column.offsets64_ = offsets;
  column.validity_ = validity;
  column.length_ = length;
  column.row_offset_ = row_offset;
  return column;
}

}  // namespace parafeat
