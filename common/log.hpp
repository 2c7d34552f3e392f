#pragma once
// Logging: one spdlog logger per module ("config", "store", "probes", ...) sharing the
// sinks set up once by init_logging(): stderr in the foreground, a rotating file when
// log.file is set.
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace itsa::log {

struct Options {
  std::string level = "info";  ///< trace, debug, info, warn, error, critical, off
  std::string file;            ///< rotating log file; empty = none
  bool to_stderr = true;       ///< foreground: log to stderr
  std::size_t max_file_bytes = 5 * 1024 * 1024;
  std::size_t max_files = 3;
};

/// Sets up the shared sinks. May be called again (SIGHUP reload); existing loggers follow.
/// Throws std::runtime_error naming the file when the log file cannot be opened.
void init(const Options& options);

/// The logger for one module; created on first use with the shared sinks.
std::shared_ptr<spdlog::logger> get(const std::string& module);

}  // namespace itsa::log
