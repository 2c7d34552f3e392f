// Install-time settings (MSI properties / Debian environment file) written into the config file.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agent/service_install_settings.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, true, true);
}

itsa::agent::InstallSettings given(std::optional<std::string> url, std::optional<std::string> token) {
  itsa::agent::InstallSettings settings;
  settings.server_url = std::move(url);
  settings.enroll_token = std::move(token);
  return settings;
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("install settings create a missing config with only the given keys") {
  const auto file = itsa::test::temp_dir() / "sub" / "agent.json";
  auto changed =
      itsa::agent::apply_install_settings(file, given(std::string("https://itsa.example.org"), std::string("tok-123")));
  REQUIRE(changed);
  CHECK(changed.value());
  const auto doc = read_json(file);
  CHECK(doc == nlohmann::json{{"server", {{"url", "https://itsa.example.org"}, {"enroll_token", "tok-123"}}}});
}

TEST_CASE("install settings keep the other keys and report no change the second time") {
  const auto file = itsa::test::temp_dir() / "agent.json";
  write_text(
      file,
      "// site config\n{ \"site\": \"HQ\", \"probes\": { \"interval_s\": 7 }, \"server\": { \"timeout_s\": 9 } }\n");
  auto changed = itsa::agent::apply_install_settings(file, given(std::string("https://a.example"), std::nullopt));
  REQUIRE(changed);
  CHECK(changed.value());
  auto doc = read_json(file);
  CHECK(doc["site"] == "HQ");
  CHECK(doc["probes"]["interval_s"] == 7);
  CHECK(doc["server"]["timeout_s"] == 9);
  CHECK(doc["server"]["url"] == "https://a.example");
  CHECK_FALSE(doc["server"].contains("enroll_token"));

  auto again = itsa::agent::apply_install_settings(file, given(std::string("https://a.example"), std::nullopt));
  REQUIRE(again);
  CHECK_FALSE(again.value());
  auto nothing = itsa::agent::apply_install_settings(file, {});
  REQUIRE(nothing);
  CHECK_FALSE(nothing.value());
}

TEST_CASE("a log file is set only when the config names none") {
  const auto file = itsa::test::temp_dir() / "agent.json";
  auto settings = given(std::nullopt, std::nullopt);
  settings.log_file = "C:\\ProgramData\\itsa\\logs\\agent.log";
  REQUIRE(itsa::agent::apply_install_settings(file, settings));
  CHECK(read_json(file)["log"]["file"] == *settings.log_file);
  write_text(file, "{ \"log\": { \"file\": \"\" } }");
  auto changed = itsa::agent::apply_install_settings(file, settings);
  REQUIRE(changed);
  CHECK_FALSE(changed.value());  // the admin's choice (stderr only) is kept
}

TEST_CASE("an invalid server URL is refused and the file is left alone") {
  const auto file = itsa::test::temp_dir() / "agent.json";
  write_text(file, "{ \"site\": \"HQ\" }");
  auto changed = itsa::agent::apply_install_settings(file, given(std::string("ftp://nope"), std::nullopt));
  REQUIRE_FALSE(changed);
  CHECK(changed.error().message.find("agent.json") != std::string::npos);
  CHECK(changed.error().message.find("server.url") != std::string::npos);
  CHECK(read_json(file) == nlohmann::json{{"site", "HQ"}});
}

TEST_CASE("a config that is not JSON is never overwritten") {
  const auto file = itsa::test::temp_dir() / "agent.json";
  write_text(file, "{ broken");
  auto changed = itsa::agent::apply_install_settings(file, given(std::string("https://a.example"), std::nullopt));
  REQUIRE_FALSE(changed);
  CHECK(changed.error().message.find("not a JSON object") != std::string::npos);
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "{ broken");
}

#ifndef _WIN32
TEST_CASE("the Debian environment file gives the settings; empty values are not given") {
  const auto env = itsa::test::temp_dir() / "itsa-agent";
  write_text(
      env,
      "# set at install time\nITSA_SERVER_URL=\"https://itsa.example.org/\"\nexport ITSA_ENROLL_TOKEN='abc def'\n"
      "OTHER=1\n");
  auto settings = itsa::agent::read_install_settings(env);
  REQUIRE(settings.server_url);
  CHECK(*settings.server_url == "https://itsa.example.org/");
  REQUIRE(settings.enroll_token);
  CHECK(*settings.enroll_token == "abc def");

  write_text(env, "ITSA_SERVER_URL=\nITSA_ENROLL_TOKEN=\n");
  settings = itsa::agent::read_install_settings(env);
  CHECK_FALSE(settings.server_url);
  CHECK_FALSE(settings.enroll_token);
  CHECK_FALSE(itsa::agent::read_install_settings(itsa::test::temp_dir() / "missing").server_url);
}
#endif
