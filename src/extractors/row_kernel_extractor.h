// RowKernelExtractor: turns a per-document kernel into an Extractor. Kernel authors write what one
// row becomes; this adapter owns the row loop, nulls, scratch memory and error rows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "parafeat/extractor.h"

namespace parafeat {

/// The error for a null where a document was expected, at `row`.
inline Status null_document_error(std::int64_t row) {
  return Status::TypeError("expected a string, got null").with_row(row);
}

/// Working memory of type `Scratch` that one thread reuses from call to call, so that documents
/// after the first find their buffers grown already (no allocation, no page faults, no copies
/// while they grow: what makes one large document cost per byte what many small ones do). A call
/// that saw a document of kReleaseAfterBytes or more releases it afterwards, so a thread keeps
/// buffers for documents of a few MiB at most. Calls on one thread never nest (extractors start
/// no parallel work), so one Scratch per thread and type is enough.
template <typename Scratch>
class ThreadScratch {
 public:
  static constexpr std::int64_t kReleaseAfterBytes = std::int64_t{4} << 20;

  ThreadScratch() : scratch_(cached()) {}
  ~ThreadScratch() {
    if (largest_document_ >= kReleaseAfterBytes) scratch_ = Scratch{};
  }
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;

  Scratch& get() { return scratch_; }
  /// Notes the length of a document analysed with this scratch.
  void saw(std::string_view document) {
    largest_document_ = std::max(largest_document_, static_cast<std::int64_t>(document.size()));
  }

 private:
  static Scratch& cached() {
    thread_local Scratch scratch;
    return scratch;
  }

  Scratch& scratch_;
  std::int64_t largest_document_ = 0;
};

/// A Kernel provides:
///   static constexpr std::string_view kName;            // registry name
///   struct Scratch;                                     // working memory (reused by a thread)
///   OutputSpec output_spec() const;
///   Status call(std::string_view document, TextForm form, Scratch& scratch,
///               SparseRows& out) const;
///     // appends the row's (index, value) pairs to out.indices / out.values
/// and optionally
///   Status fitted() const;  // not OK (saying what to do) while the kernel needs fitting
///   TextForm preferred_text_form() const;  // see Extractor::preferred_text_form()
/// and optionally, to let the executor split one large document (see DocumentSplitting):
///   bool splittable() const;
///   std::vector<DocumentPiece> split(std::string_view document, TextForm form,
///                                    std::int64_t piece_bytes) const;
///   Status count_piece(std::string_view piece, TextForm form, Scratch& scratch,
///                      ColumnCounts& out) const;
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
  TextForm preferred_text_form() const override {
    if constexpr (requires { kernel_.preferred_text_form(); }) {
      return kernel_.preferred_text_form();
    } else {
      return TextForm::kAsGiven;
    }
  }

  Status extract(const StringColumn& input, RowRange rows, SparseRows& out) const override {
    PARAFEAT_RETURN_NOT_OK(fitted());
    ThreadScratch<typename Kernel::Scratch> scratch;
    for (std::int64_t row = rows.begin; row < rows.end; ++row) {
      if (input.is_null(row)) {
        return null_document_error(row);
      }
      const std::string_view document = input.value(row);
      scratch.saw(document);
      Status status = kernel_.call(document, input.text_form(), scratch.get(), out);
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
    k.count_piece(std::string_view(), TextForm::kAsGiven, s, c);
    k.finish_row(c, out);
  };

  std::vector<DocumentPiece> split(std::string_view document, TextForm form,
                                   std::int64_t piece_bytes) const override {
    if constexpr (kSplits) {
      return kernel_.split(document, form, piece_bytes);
    } else {
      return {};
    }
  }
  Status count_piece(std::string_view piece, TextForm form, ColumnCounts& out) const override {
    if constexpr (kSplits) {
      ThreadScratch<typename Kernel::Scratch> scratch;
      scratch.saw(piece);
      return kernel_.count_piece(piece, form, scratch.get(), out);
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
