#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/atomic_file.hpp"

namespace itsa::store {
namespace {

Error errno_error(const std::string& what, const std::filesystem::path& file) {
  return Error{"cannot " + what + " " + file.string() + ": " + std::strerror(errno)};
}

}  // namespace

Result<void> write_file_atomic(const std::filesystem::path& file, const std::string& content, bool owner_only) {
  const auto tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, owner_only ? 0600 : 0644);
  if (fd < 0) return errno_error("create", tmp);
  if (owner_only) ::fchmod(fd, 0600);
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = errno_error("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto err = errno_error("flush", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    auto err = errno_error("replace", file);
    ::unlink(tmp.c_str());
    return err;
  }
  auto dir = file.parent_path();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return ok();
}

Result<std::optional<std::string>> read_small_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<std::string>{};
  std::ifstream in(file, std::ios::binary);
  if (!in) return errno_error("read", file);
  std::ostringstream out;
  out << in.rdbuf();
  return std::optional<std::string>{out.str()};
}

}  // namespace itsa::store
