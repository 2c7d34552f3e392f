// Windows: data_dir\agent.lock opened for writing with read sharing only, so a second open for
// writing fails with ERROR_SHARING_VIOLATION while this process lives (the kernel closes the
// handle on any exit, a crash included). The pid is read back through a read-only open.
#include <windows.h>

#include <system_error>

#include "agent/data_dir_lock.hpp"

namespace itsa::agent {

namespace {
std::string last_error_text(DWORD code) {
  return std::system_category().message(static_cast<int>(code));
}
}  // namespace

DataDirLock::~DataDirLock() {
  CloseHandle(reinterpret_cast<HANDLE>(m_handle));
}

DataDirLockAttempt lock_data_dir(const std::filesystem::path& data_dir) {
  DataDirLockAttempt attempt;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  const auto file = data_dir_lock_file(data_dir);
  HANDLE h = CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    const DWORD err = GetLastError();
    if (err == ERROR_SHARING_VIOLATION || err == ERROR_LOCK_VIOLATION) {
      HANDLE r = CreateFileW(file.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                             FILE_ATTRIBUTE_NORMAL, nullptr);
      if (r != INVALID_HANDLE_VALUE) {
        char buf[32] = {};
        DWORD n = 0;
        if (ReadFile(r, buf, sizeof buf - 1, &n, nullptr) && n > 0)
          attempt.holder = parse_lock_holder(std::string(buf, n));
        CloseHandle(r);
      }
      attempt.status = DataDirLockAttempt::Status::held_elsewhere;
      attempt.message = held_elsewhere_message(data_dir, attempt.holder);
    } else {
      attempt.message = "cannot open the lock file " + file.string() + ": " + last_error_text(err);
    }
    return attempt;
  }
  const std::string pid = std::to_string(GetCurrentProcessId()) + "\n";
  DWORD written = 0;
  SetFilePointer(h, 0, nullptr, FILE_BEGIN);
  if (WriteFile(h, pid.data(), static_cast<DWORD>(pid.size()), &written, nullptr)) SetEndOfFile(h);
  attempt.status = DataDirLockAttempt::Status::acquired;
  attempt.lock = std::make_unique<DataDirLock>(reinterpret_cast<std::intptr_t>(h));
  return attempt;
}

}  // namespace itsa::agent
