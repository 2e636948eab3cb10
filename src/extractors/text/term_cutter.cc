#include "extractors/text/term_cutter.h"

namespace parafeat::text {

Status TermCutter::cut(std::string_view document, TextForm form, TermCutterScratch& scratch) const {
  if (const auto* analyzer = std::get_if<Analyzer>(&cutter_)) {
    scratch.spark_ = false;
    return analyzer->analyze(document, form, scratch.analysis_);
  }
  scratch.spark_ = true;
  return std::get<SparkTokenizer>(cutter_).tokenize(document, form, scratch.tokens_);
}

}  // namespace parafeat::text
