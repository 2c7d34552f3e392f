#pragma once
// A temp dir per test case: created on first use, removed when the test case passes,
// kept (and its path printed) when it fails.
#include <filesystem>

namespace itsa::test {

/// The current test case's temp dir (created on first call).
std::filesystem::path temp_dir();

/// Called by the listener in tests/main.cpp.
void begin_test_case(const char* name);
void end_test_case(bool failed);

/// Path of a file under tests/fixtures (each folder there has a PROVENANCE.md).
std::filesystem::path fixture(const std::filesystem::path& relative);

}  // namespace itsa::test
