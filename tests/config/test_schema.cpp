// Config validation: the sample, every error kind, unknown keys, types, ranges, comments.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "config/agent_config.hpp"
#include "config/defaults.hpp"
#include "config/schema.hpp"
#include "config/validate.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::config;

namespace {

std::vector<std::string> messages(const Validated& v) {
  std::vector<std::string> out;
  for (const auto& p : v.problems) out.push_back(p.to_string());
  return out;
}

bool has_message(const Validated& v, const std::string& text) {
  for (const auto& m : messages(v))
    if (m == text) return true;
  return false;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("the shipped sample config is valid and documents every key") {
  const auto sample = std::filesystem::path(ITSA_SOURCE_DIR) / "config" / "agent.sample.json";
  const auto text = read_file(sample);
  const auto v = parse_and_validate(text);
  CHECK_MESSAGE(v.ok(), (v.ok() ? "" : v.problems.front().to_string()));
  // Every declared key appears in the sample, with the default value.
  const auto doc = nlohmann::json::parse(text, nullptr, true, true);
  for (const auto& key : agent_keys()) {
    const auto pointer = nlohmann::json::json_pointer("/" + [&] {
      auto p = key.path;
      for (auto& c : p)
        if (c == '.') c = '/';
      return p;
    }());
    INFO("key ", key.path);
    REQUIRE(doc.contains(pointer));
    if (key.path != "data_dir") CHECK(doc.at(pointer) == key.default_value);
  }
  auto loaded = load_agent_config(sample);
  REQUIRE(loaded);
  CHECK(loaded.value().probes.interval_s == 5);
  CHECK(loaded.value().probes.down_after == 2);
  CHECK(loaded.value().probes.internet.size() == 3);
}

TEST_CASE("an empty object takes every default") {
  const auto v = validate(nlohmann::json::object());
  REQUIRE(v.ok());
  const auto c = from_resolved(v.resolved, {});
  CHECK(c.probes.interval_s == 5);
  CHECK(c.probes.gateway == "auto");
  CHECK(c.probes.up_after == 2);
  CHECK(c.store_max_bytes == 64ll * 1024 * 1024);
  CHECK(c.log_level == "info");
}

TEST_CASE("the probe defaults are written once: the key table and the typed config agree") {
  CHECK(defaults::probe_interval_s == 5);
  CHECK(defaults::probe_down_after == 2);
  CHECK(defaults::probe_up_after == 2);
  REQUIRE(find_key("probes.interval_s"));
  REQUIRE(find_key("probes.down_after"));
  REQUIRE(find_key("probes.up_after"));
  CHECK(find_key("probes.interval_s")->default_value == defaults::probe_interval_s);
  CHECK(find_key("probes.down_after")->default_value == defaults::probe_down_after);
  CHECK(find_key("probes.up_after")->default_value == defaults::probe_up_after);
  const ProbesConfig p;
  CHECK(p.interval_s == defaults::probe_interval_s);
  CHECK(p.down_after == defaults::probe_down_after);
  CHECK(p.up_after == defaults::probe_up_after);
}

TEST_CASE("unknown keys are reported with their path and a did-you-mean") {
  const auto v = parse_and_validate(R"({"probes": {"intervall_s": 5}, "sever": {"url": ""}, "zzzzzzzz": 1})");
  CHECK(has_message(v, "probes.intervall_s: unknown key; did you mean probes.interval_s?"));
  CHECK(has_message(v, "sever: unknown key; did you mean server?"));
  CHECK(has_message(v, "zzzzzzzz: unknown key"));
  CHECK(v.problems.size() == 3);
}

TEST_CASE("a key under the wrong parent is found by its name") {
  const auto v = parse_and_validate(R"({"interval_s": 5})");
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].to_string().find("did you mean") != std::string::npos);
}

TEST_CASE("ranges, types and allowed values are checked, all at once") {
  const auto v = parse_and_validate(R"({
    "probes": {"interval_s": 0, "down_after": "two", "timeout_ms": 999999, "internet": ["ftp://x", 3]},
    "log": {"level": "loud"},
    "server": "https://x"
  })");
  CHECK(has_message(v, "probes.interval_s: 0 is below the minimum 1"));
  CHECK(has_message(v, "probes.down_after: \"two\" is not an integer"));
  CHECK(has_message(v, "probes.timeout_ms: 999999 is above the maximum 30000"));
  CHECK(has_message(v, "probes.internet: [\"ftp://x\",3] is not a list of strings"));
  CHECK(has_message(v, "log.level: \"loud\" is not one of: trace, debug, info, warn, error, critical, off"));
  CHECK(has_message(v, "server: \"https://x\" is not an object"));
  CHECK(v.problems.size() == 6);
}

TEST_CASE("probe targets, addresses and the server URL are checked") {
  const auto v = parse_and_validate(R"({
    "probes": {"internet": ["tcp://host", "icmp://", "https://ok.example/"], "gateway": "router",
               "dns": {"resolver": "192.168.1.1"}},
    "server": {"url": "ftp://server"}
  })");
  CHECK(has_message(v, "probes.internet: item 0: \"tcp://host\" must be tcp://HOST:PORT"));
  CHECK(has_message(v, "probes.gateway: \"router\" is neither \"auto\" nor an IP address"));
  CHECK(v.problems.size() == 3);
  const auto good = parse_and_validate(R"({"probes": {"gateway": "10.0.0.1", "internet": ["tcp://[::1]:80"]}})");
  CHECK(good.ok());
}

TEST_CASE("comments are allowed; syntax errors give line and column") {
  CHECK(parse_and_validate("// hi\n{ /* c */ \"site\": \"A\" // x\n}").ok());
  const auto v = parse_and_validate("{\n  \"site\": \"A\",\n  \"log\": {\"level\" \"info\"}\n}");
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].message.rfind("line 3, column", 0) == 0);
  CHECK_FALSE(parse_and_validate("[1,2]").ok());
  CHECK_FALSE(parse_and_validate("").ok());
}

TEST_CASE("load_agent_config names the file in every problem and resolves relative paths") {
  const auto dir = itsa::test::temp_dir();
  // An absolute path on this platform ("/var/..." has no drive, so it is relative on Windows).
  const std::string abs_log =
      std::filesystem::path("/var/log/x.log").is_absolute() ? "/var/log/x.log" : "C:/var/log/x.log";
  {
    std::ofstream(dir / "bad.json") << R"({"probes": {"interval_s": 301, "up_after": 0}})";
    std::ofstream(dir / "good.json") << R"({"data_dir": "data", "log": {"file": ")" << abs_log << R"("}})";
  }
  auto bad = load_agent_config(dir / "bad.json");
  REQUIRE_FALSE(bad);
  const auto& msg = bad.error().message;
  CHECK(msg.find((dir / "bad.json").string() + ": probes.interval_s: 301 is above the maximum 300") !=
        std::string::npos);
  CHECK(msg.find("probes.up_after: 0 is below the minimum 1") != std::string::npos);
  auto good = load_agent_config(dir / "good.json");
  REQUIRE(good);
  CHECK(good.value().data_dir == std::filesystem::absolute(dir) / "data");
  CHECK(good.value().log_file == abs_log);
  CHECK_FALSE(load_agent_config(dir / "missing.json"));
}

TEST_CASE("edit distance") {
  CHECK(edit_distance("intervall_s", "interval_s") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "abc") == 0);
}
