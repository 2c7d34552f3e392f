#include <fstream>
#include <sstream>

#include <windows.h>

#include "store/atomic_file.hpp"

namespace itsa::store {

Result<void> write_file_atomic(const std::filesystem::path& file, const std::string& content, bool owner_only) {
  // owner_only: data_dir (C:\ProgramData\itsa\data) gets its SYSTEM/Administrators ACL from the installer.
  (void)owner_only;
  const auto tmp = std::filesystem::path(file.wstring() + L".tmp");
  HANDLE h = CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE)
    return Error{"cannot create " + tmp.string() + " (error " + std::to_string(GetLastError()) + ")"};
  DWORD written = 0;
  const bool wrote = WriteFile(h, content.data(), static_cast<DWORD>(content.size()), &written, nullptr) &&
                     written == content.size() && FlushFileBuffers(h);
  CloseHandle(h);
  if (!wrote) return Error{"cannot write " + tmp.string() + " (error " + std::to_string(GetLastError()) + ")"};
  if (!MoveFileExW(tmp.c_str(), file.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    return Error{"cannot replace " + file.string() + " (error " + std::to_string(GetLastError()) + ")"};
  return ok();
}

Result<std::optional<std::string>> read_small_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<std::string>{};
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"cannot read " + file.string()};
  std::ostringstream out;
  out << in.rdbuf();
  return std::optional<std::string>{out.str()};
}

}  // namespace itsa::store
