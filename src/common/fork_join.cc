#include "parafeat/fork_join.h"

namespace parafeat {
namespace {

class SerialForkJoin final : public ForkJoin {
 public:
  void run(std::size_t n, const std::function<void(std::size_t)>& task) const override {
    for (std::size_t i = 0; i < n; ++i) task(i);
  }
  bool parallel() const override { return false; }
};

}  // namespace

const ForkJoin& serial_fork_join() {
  static const SerialForkJoin serial;
  return serial;
}

}  // namespace parafeat
