#pragma once
// One agent per data folder: `itsa-agent run` holds an exclusive lock on data_dir/agent.lock for
// as long as it runs (Linux: flock; Windows: the file opened with no write sharing). A second
// daemon on the same data_dir is refused (exit code k_exit_already_running); read-only commands
// (status, outages, …) never take the lock. The lock goes with the process, also on a crash or
// kill -9; the file itself stays (it holds the last holder's pid, for the refusal message).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace itsa::agent {

/// data_dir/agent.lock
std::filesystem::path data_dir_lock_file(const std::filesystem::path& data_dir);

/// A held lock; released when destroyed.
class DataDirLock {
 public:
  explicit DataDirLock(std::intptr_t handle) : m_handle(handle) {}
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  std::intptr_t m_handle;  ///< a file descriptor (Linux) or a HANDLE (Windows)
};

/// What an attempt to lock a data_dir found.
struct DataDirLockAttempt {
  enum class Status { acquired, held_elsewhere, failed };
  Status status = Status::failed;
  std::unique_ptr<DataDirLock> lock;   ///< set when acquired
  std::optional<std::int64_t> holder;  ///< held_elsewhere: the other process's pid, when the file says
  std::string message;                 ///< held_elsewhere / failed: one sentence naming the data_dir
};

/// Creates data_dir if needed and takes its lock without waiting.
DataDirLockAttempt lock_data_dir(const std::filesystem::path& data_dir);

/// The pid in a lock file's text ("1234\n"), if it holds one.
std::optional<std::int64_t> parse_lock_holder(const std::string& text);
/// The refusal sentence for a data_dir held by another process (pid when known).
std::string held_elsewhere_message(const std::filesystem::path& data_dir, std::optional<std::int64_t> holder);

}  // namespace itsa::agent
