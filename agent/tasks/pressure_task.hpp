#pragma once
// The daemon's resource-pressure task: samples every pressure.interval_s and appends one
// `pressure_minute` record per finished minute (the partial minute on stop).
#include <memory>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "collectors/pressure/pressure.hpp"

namespace itsa::agent {

class PressureTask final : public DaemonTask {
 public:
  /// `source` = nullptr uses the platform source on the live host.
  explicit PressureTask(std::unique_ptr<collectors::PressureSource> source = nullptr);
  std::string name() const override { return "pressure"; }
  void start(TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

 private:
  void tick();
  void store(const nlohmann::json& minute);

  std::unique_ptr<collectors::PressureSource> m_source;
  std::unique_ptr<collectors::PressureSampler> m_sampler;
  std::unique_ptr<boost::asio::steady_timer> m_timer;
  TaskContext* m_ctx = nullptr;
  nlohmann::json m_last_minute;
  int m_minutes = 0;
  bool m_stopped = false;
};

}  // namespace itsa::agent
