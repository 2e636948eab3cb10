// RowKernelExtractor: turns a per-document kernel into an Extractor. Kernel authors write what one
// row becomes; this adapter owns the row loop, nulls, per-morsel scratch memory and error rows.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "parafeat/extractor.h"

namespace parafeat {

/// The error for a null where a document was expected, at `row`.
inline Status null_document_error(std::int64_t row) {
  return Status::TypeError("expected a string, got null").with_row(row);
}

/// A Kernel provides:
///   static constexpr std::string_view kName;            // registry name
///   struct Scratch;                                     // per-morsel working memory
///   OutputSpec output_spec() const;
///   Status call(std::string_view document, Scratch& scratch, SparseRows& out) const;
///     // appends the row's (index, value) pairs to out.indices / out.values
/// and optionally
///   Status fitted() const;  // not OK (saying what to do) while the kernel needs fitting
/// and optionally, to let the executor split one large document (see DocumentSplitting):
///   bool splittable() const;
///   std::vector<DocumentPiece> split(std::string_view document, std::int64_t piece_bytes) const;
///   Status count_piece(std::string_view piece, Scratch& scratch, ColumnCounts& out) const;
///   Status finish_row(const ColumnCounts& counts, SparseRows& out) const;
template <typename Kernel>
class RowKernelExtractor final : public Extractor, private DocumentSplitting {
 public:
  RowKernelExtractor(Kernel kernel, Params params)
      : kernel_(std::move(kernel)), params_(std::move(params)) {}

  std::string_view name() const override { return Kernel::kName; }
  const Params& params() const override { return params_; }
  OutputSpec output_spec() const override { return kernel_.output_spec(); }
  bool is_fitted() const override { return fitted().ok(); }

  Status extract(const StringColumn& input, RowRange rows, SparseRows& out) const override {
    PARAFEAT_RETURN_NOT_OK(fitted());
    typename Kernel::Scratch scratch;
    for (std::int64_t row = rows.begin; row < rows.end; ++row) {
      if (input.is_null(row)) {
        return null_document_error(row);
      }
      Status status = kernel_.call(input.value(row), scratch, out);
      if (!status.ok()) return status.with_row(row);
      out.end_row();
    }
    return Status::OK();
  }

  const DocumentSplitting* document_splitting() const override {
    if constexpr (kSplits) {
      if (fitted().ok() && kernel_.splittable()) return this;
    }
    return nullptr;
  }

 private:
  static constexpr bool kSplits =
      requires(const Kernel& k, typename Kernel::Scratch& s, ColumnCounts& c, SparseRows& out) {
    k.splittable();
    k.count_piece(std::string_view(), s, c);
    k.finish_row(c, out);
  };

  std::vector<DocumentPiece> split(std::string_view document,
                                   std::int64_t piece_bytes) const override {
    if constexpr (kSplits) {
      return kernel_.split(document, piece_bytes);
    } else {
      return {};
    }
  }
  Status count_piece(std::string_view piece, ColumnCounts& out) const override {
    if constexpr (kSplits) {
      typename Kernel::Scratch scratch;
      return kernel_.count_piece(piece, scratch, out);
    } else {
      return Status::Internal("not splittable");
    }
  }
  Status finish_row(const ColumnCounts& counts, SparseRows& out) const override {
    if constexpr (kSplits) {
      return kernel_.finish_row(counts, out);
    } else {
      return Status::Internal("not splittable");
    }
  }

  Status fitted() const {
    if constexpr (requires { kernel_.fitted(); }) {
      return kernel_.fitted();
    } else {
      return Status::OK();
    }
  }

  Kernel kernel_;
  Params params_;
};

}  // namespace parafeat
