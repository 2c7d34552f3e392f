// Linux: flock(LOCK_EX | LOCK_NB) on data_dir/agent.lock. flock locks belong to the open file
// description, so a second open in the same process conflicts too (two Daemon objects in a test).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "agent/data_dir_lock.hpp"

namespace itsa::agent {

DataDirLock::~DataDirLock() {
  ::close(static_cast<int>(m_handle));  // releases the flock
}

DataDirLockAttempt lock_data_dir(const std::filesystem::path& data_dir) {
  DataDirLockAttempt attempt;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  const auto file = data_dir_lock_file(data_dir);
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    attempt.message = "cannot open the lock file " + file.string() + ": " + std::strerror(errno);
    return attempt;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EWOULDBLOCK) {
      char buf[32] = {};
      const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
      if (n > 0) attempt.holder = parse_lock_holder(std::string(buf, static_cast<std::size_t>(n)));
      attempt.status = DataDirLockAttempt::Status::held_elsewhere;
      attempt.message = held_elsewhere_message(data_dir, attempt.holder);
    } else {
      attempt.message = "cannot lock " + file.string() + ": " + std::strerror(err);
    }
    ::close(fd);
    return attempt;
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock holds all the same; only the refusal message of a second agent lacks the pid.
  }
  attempt.status = DataDirLockAttempt::Status::acquired;
  attempt.lock = std::make_unique<DataDirLock>(fd);
  return attempt;
}

}  // namespace itsa::agent
