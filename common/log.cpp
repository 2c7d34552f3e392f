#include "common/log.hpp"

#include <chrono>
#include <mutex>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace itsa::log {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

void ensure_default_sinks() {
  if (g_sinks.empty()) {
    g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    g_sinks.back()->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  }
}

}  // namespace

void init(const Options& options) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.to_stderr) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    sinks.push_back(sink);
  }
  if (!options.file.empty()) {
    try {
      auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, options.max_file_bytes,
                                                                         options.max_files);
      sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l [%n] %v");
      sinks.push_back(sink);
    } catch (const spdlog::spdlog_ex& e) {
      throw std::runtime_error("cannot open log file " + options.file + ": " + e.what());
    }
  }
  std::lock_guard lock(g_mutex);
  g_sinks = std::move(sinks);
  g_level = spdlog::level::from_str(options.level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->sinks() = g_sinks;
    logger->set_level(g_level);
  });
  spdlog::flush_on(spdlog::level::warn);
  // A log file is read while the agent runs (a service has no console): info lines reach it within 1 s.
  if (!options.file.empty()) spdlog::flush_every(std::chrono::seconds(1));
}

std::shared_ptr<spdlog::logger> get(const std::string& module) {
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(module)) return existing;
  ensure_default_sinks();
  auto logger = std::make_shared<spdlog::logger>(module, g_sinks.begin(), g_sinks.end());
  logger->set_level(g_level);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace itsa::log
