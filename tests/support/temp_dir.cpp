#include "tests/support/temp_dir.hpp"

#include <cctype>
#include <iostream>
#include <optional>
#include <string>

#ifndef _WIN32
#include <unistd.h>
#else
#include <process.h>
#define getpid _getpid
#endif

namespace itsa::test {
namespace {

std::optional<std::filesystem::path> g_current;
std::string g_name = "test";
int g_counter = 0;

std::string sanitize(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  if (out.size() > 60) out.resize(60);
  return out;
}

}  // namespace

std::filesystem::path temp_dir() {
  if (!g_current) {
    auto base = std::filesystem::temp_directory_path() / ("itsa-tests-" + std::to_string(getpid()));
    auto dir = base / (std::to_string(++g_counter) + "-" + sanitize(g_name));
    std::filesystem::create_directories(dir);
    g_current = dir;
  }
  return *g_current;
}

void begin_test_case(const char* name) {
  g_name = name ? name : "test";
}

void end_test_case(bool failed) {
  if (!g_current) return;
  std::error_code ec;
  if (failed) {
    std::cerr << "test temp dir kept: " << g_current->string() << "\n";
  } else {
    std::filesystem::remove_all(*g_current, ec);
    std::filesystem::remove(g_current->parent_path(), ec);  // only when empty
  }
  g_current.reset();
}

std::filesystem::path fixture(const std::filesystem::path& relative) {
  return std::filesystem::path(ITSA_SOURCE_DIR) / "tests" / "fixtures" / relative;
}

}  // namespace itsa::test
