#pragma once
// The uploader as a daemon task: a worker thread (libcurl blocks) that enrols, sends
// batches and waits between steps per UploadSchedule. While the server is unreachable it
// checks reachability every probe interval, so the first upload after connectivity returns
// happens within one probe interval; nudge() wakes it at once.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/tasks/task.hpp"

namespace itsa::uploader {

/// Backoff bounds (tests shorten them).
struct UploaderTuning {
  std::chrono::milliseconds backoff_base{std::chrono::seconds{5}};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes{15}};
  std::optional<std::chrono::seconds> routine_hold;  ///< see Uploader; nullopt = server.routine_hold_s
};

class UploaderTask final : public agent::DaemonTask {
 public:
  /// `nudge`, when given, wakes this task while it runs (see agent::UploadNudge).
  explicit UploaderTask(UploaderTuning tuning = {}, std::shared_ptr<agent::UploadNudge> nudge = {})
      : m_tuning(tuning), m_nudge(std::move(nudge)) {}
  ~UploaderTask() override;
  std::string name() const override { return "uploader"; }
  void start(agent::TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;
  /// Try now (connectivity came back).
  void nudge();

 private:
  void run(agent::TaskContext ctx);

  UploaderTuning m_tuning;
  std::shared_ptr<agent::UploadNudge> m_nudge;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_nudged = false;
  std::atomic<bool> m_stopping{false};
  std::thread m_thread;
  std::string m_state = "stopped";
};

}  // namespace itsa::uploader
