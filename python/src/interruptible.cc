#include "interruptible.h"

#include <nanobind/nanobind.h>

#include <chrono>
#include <future>
#include <thread>

namespace nb = nanobind;

namespace parafeat::python {

Status run_interruptibly(const std::function<Status()>& work,
                         const std::shared_ptr<CancellationToken>& cancel) {
  std::packaged_task<Status()> task(work);
  std::future<Status> done = task.get_future();
  bool interrupted = false;
  {
    nb::gil_scoped_release release;
    std::thread worker(std::move(task));
    while (done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      nb::gil_scoped_acquire acquire;
      if (!interrupted && PyErr_CheckSignals() != 0) {
        interrupted = true;  // the KeyboardInterrupt stays pending until we return
        cancel->cancel();
      }
    }
    worker.join();
  }
  if (interrupted) throw nb::python_error();
  return done.get();
}

}  // namespace parafeat::python
