// dmidecode (Debian's, an independent decoder) as an oracle: every fixture, wrapped into a
// dump-bin file when it is not one, must decode to the same strings with both.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "collectors/smbios/decode.hpp"
#include "collectors/smbios/default_uuid.hpp"
#include "collectors/smbios/smbios.hpp"
#include "tests/support/temp_dir.hpp"

namespace sm = itsa::collectors::smbios;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Output of a command, trailing newline removed.
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Writes table bytes behind a made-up entry point at 0x20 (PROVENANCE.md's recipe).
fs::path wrap(const sm::Bytes& table, int major, int minor, const fs::path& out) {
  sm::Bytes f(0x20, 0);
  if (major >= 3) {
    const char magic[] = "_SM3_";
    std::copy(magic, magic + 5, f.begin());
    f[6] = 0x18;
    f[7] = static_cast<std::uint8_t>(major);
    f[8] = static_cast<std::uint8_t>(minor);
    f[0x0A] = 1;
    for (int i = 0; i < 4; ++i) f[0x0C + i] = static_cast<std::uint8_t>(table.size() >> (8 * i));
    f[0x10] = 0x20;
    std::uint8_t sum = 0;
    for (int i = 0; i < 0x18; ++i) sum = static_cast<std::uint8_t>(sum + f[i]);
    f[5] = static_cast<std::uint8_t>(-sum);
  } else {
    const char magic[] = "_SM_";
    std::copy(magic, magic + 4, f.begin());
    f[5] = 0x1F;
    f[6] = static_cast<std::uint8_t>(major);
    f[7] = static_cast<std::uint8_t>(minor);
    const char dmi[] = "_DMI_";
    std::copy(dmi, dmi + 5, f.begin() + 0x10);
    f[0x16] = static_cast<std::uint8_t>(table.size());
    f[0x17] = static_cast<std::uint8_t>(table.size() >> 8);
    f[0x18] = 0x20;
    f[0x1C] = 0xFF;
    f[0x1D] = 0xFF;  // structure count: let dmidecode stop at the end
    f[0x1E] = static_cast<std::uint8_t>((major << 4) | minor);
    std::uint8_t sum = 0;
    for (int i = 0x10; i < 0x1F; ++i) sum = static_cast<std::uint8_t>(sum + f[i]);
    f[0x15] = static_cast<std::uint8_t>(-sum);
    sum = 0;
    for (int i = 0; i < 0x1F; ++i) sum = static_cast<std::uint8_t>(sum + f[i]);
    f[4] = static_cast<std::uint8_t>(-sum);
  }
  f.insert(f.end(), table.begin(), table.end());
  std::ofstream(out, std::ios::binary)
      .write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  return out;
}

}  // namespace

TEST_CASE("smbios: decoded strings agree with dmidecode --from-dump") {
  if (run("command -v dmidecode").empty()) {
    MESSAGE("dmidecode not installed (scripts/install-deps --tests); oracle skipped");
    return;
  }
  for (const auto& entry : fs::directory_iterator(itsa::test::fixture("smbios"))) {
    if (entry.path().extension() != ".bin") continue;
    CAPTURE(entry.path().filename().string());
    auto table = sm::load_file(entry.path());
    REQUIRE(table);
    fs::path dump = entry.path();
    if (table.value().layout.rfind("dump-bin", 0) != 0) {
      auto bytes = sm::read_file_bytes(entry.path());
      REQUIRE(bytes);
      sm::Bytes raw = bytes.value();
      if (table.value().layout == "rsmb") raw.erase(raw.begin(), raw.begin() + 8);
      dump = wrap(raw, table.value().major.value_or(2), table.value().minor.value_or(3),
                  itsa::test::temp_dir() / entry.path().filename());
    }
    std::vector<std::string> notes;
    const json d = sm::decode(table.value(), notes);
    const std::pair<const char*, json> fields[] = {{"system-manufacturer", d["system"]["manufacturer"]},
                                                   {"system-product-name", d["system"]["product"]},
                                                   {"system-serial-number", d["system"]["serial"]},
                                                   {"bios-vendor", d["bios"]["vendor"]},
                                                   {"bios-version", d["bios"]["version"]},
                                                   {"chassis-type", d["system"]["chassis"]},
                                                   {"system-uuid", d["system"]["uuid"]}};
    for (const auto& [keyword, ours] : fields) {
      CAPTURE(keyword);
      std::string oracle = run("dmidecode -q --from-dump '" + dump.string() + "' -s " + keyword + " 2>/dev/null");
      if (oracle.empty() && ours.is_null()) continue;  // structure unreachable for both
      // A raw table's version is unknown; the UUID byte order depends on it (we assume 2.6+).
      if (std::string(keyword) == "system-uuid" && !table.value().major) continue;
      if (ours.is_null()) {
        CHECK_MESSAGE((sm::is_placeholder(oracle) || oracle == "Not Settable" || oracle == "Not Present" ||
                       (std::string(keyword) == "system-uuid" && sm::is_default_uuid(oracle))),
                      oracle);
      } else if (std::string(keyword) == "system-uuid") {
        // Same byte-order rule (2.6+ little-endian); compare case-insensitively.
        std::string theirs = oracle;
        for (auto& c : theirs) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(ours.get<std::string>() == theirs);
      } else {
        CHECK(ours.get<std::string>() == *sm::clean_string(oracle));
      }
    }
  }
}
