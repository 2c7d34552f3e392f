// dmidecode (Debian's, an independent decoder) as an oracle: every fixture, wrapped into a
// dump-bin file when it is not one, must decode to the same strings with both.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
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

// dmidecode -q -t TYPE: one map of "Key: Value" lines per structure, in table order.
using Block = std::map<std::string, std::string>;
std::vector<Block> blocks(const fs::path& dump, const char* type) {
  std::vector<Block> out;
  std::istringstream in(run("dmidecode -q --from-dump '" + dump.string() + "' -t " + type + " 2>/dev/null"));
  std::string line;
  Block b;
  bool open = false;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (open) out.push_back(b);
      b.clear();
      open = false;
      continue;
    }
    if (line[0] != '\t') {
      open = true;  // the structure's title ("Memory Device")
      continue;
    }
    if (line.size() > 1 && line[1] == '\t') continue;  // a list item (characteristics)
    const auto colon = line.find(": ");
    if (colon != std::string::npos) b[line.substr(1, colon - 1)] = line.substr(colon + 2);
  }
  if (open) out.push_back(b);
  return out;
}

// dmidecode's "8 GB" / "384 MB" / "3 TB" in bytes; nullopt for words ("No Module Installed").
std::optional<std::uint64_t> size_bytes(const std::string& s) {
  std::istringstream in(s);
  std::uint64_t n = 0;
  std::string unit;
  if (!(in >> n >> unit)) return std::nullopt;
  if (unit == "kB" || unit == "KB") return n << 10;
  if (unit == "MB") return n << 20;
  if (unit == "GB") return n << 30;
  if (unit == "TB") return n << 40;
  return std::nullopt;
}

// dmidecode prints module manufacturer codes raw; the names are JEP106's, written here by hand.
const std::map<std::string, std::string> k_jedec_by_hand = {{"859B", "Crucial Technology"},
                                                            {"80AD000080AD", "SK hynix"},
                                                            {"002C00B3002C", "Micron Technology"},
                                                            {"80CE808980CE", "Samsung"},
                                                            {"JEDEC ID:80 AD", "SK hynix"}};

// A string field: equal when both give it; when we give null, dmidecode's value must be a
// placeholder (or one of its own words for "absent").
void check_string(const json& ours, const std::string& oracle, const char* what) {
  CAPTURE(what);
  CAPTURE(oracle);
  if (ours.is_null()) {
    CHECK((oracle.empty() || sm::is_placeholder(oracle) || oracle == "Not Settable" || oracle == "Not Present" ||
           oracle == "<BAD INDEX>" || oracle == "<OUT OF SPEC>"));
  } else {
    CHECK(ours.get<std::string>() == sm::clean_string(oracle).value_or("<null>"));
  }
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
                                                   {"system-uuid", d["system"]["uuid"]},
                                                   {"system-version", d["system"]["version"]},
                                                   {"system-sku-number", d["system"]["sku"]},
                                                   {"system-family", d["system"]["family"]},
                                                   {"baseboard-manufacturer", d["baseboard"]["manufacturer"]},
                                                   {"baseboard-product-name", d["baseboard"]["product"]},
                                                   {"baseboard-version", d["baseboard"]["version"]},
                                                   {"baseboard-serial-number", d["baseboard"]["serial"]},
                                                   {"chassis-manufacturer", d["chassis"]["manufacturer"]},
                                                   {"chassis-serial-number", d["chassis"]["serial"]}};
    for (const auto& [keyword, ours] : fields) {
      CAPTURE(keyword);
      std::string oracle = run("dmidecode -q --from-dump '" + dump.string() + "' -s " + keyword + " 2>/dev/null");
      if (oracle.empty() && ours.is_null()) continue;  // structure unreachable for both
      // A raw table's version is unknown; the UUID byte order depends on it (we assume 2.6+).
      if (std::string(keyword) == "system-uuid" && !table.value().major) continue;
      if (ours.is_null()) {
        CHECK_MESSAGE(
            (oracle.empty() || sm::is_placeholder(oracle) || oracle == "Not Settable" || oracle == "Not Present" ||
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

    // Processors (type 4): populated sockets in table order; model, cores, threads, CPUID family/model.
    std::vector<Block> cpus;
    for (const auto& b : blocks(dump, "4"))
      if (b.count("Status") && b.at("Status").rfind("Populated", 0) == 0) cpus.push_back(b);
    REQUIRE(d["processors"].size() == cpus.size());
    for (std::size_t i = 0; i < cpus.size(); ++i) {
      const auto& p = d["processors"][i];
      const auto& o = cpus[i];
      CAPTURE(i);
      check_string(p["model"], o.count("Version") ? o.at("Version") : "", "processor version");
      CHECK(p["cores"] == (o.count("Core Count") ? json(std::stoi(o.at("Core Count"))) : json(nullptr)));
      CHECK(p["threads"] == (o.count("Thread Count") ? json(std::stoi(o.at("Thread Count"))) : json(nullptr)));
      if (p["cpuid_family"].is_number() && o.count("Signature")) {
        // "Type 0, Family 6, Model 158, Stepping 10"
        const std::string sig = o.at("Signature");
        CHECK(sig.find("Family " + std::to_string(p["cpuid_family"].get<int>()) + ",") != std::string::npos);
        CHECK(sig.find("Model " + std::to_string(p["cpuid_model"].get<int>()) + ",") != std::string::npos);
      }
    }

    // Memory arrays (type 16): the maximum capacity of the system-memory ones, summed.
    std::uint64_t capacity = 0;
    bool capacity_known = false;
    for (const auto& b : blocks(dump, "16")) {
      if (b.count("Use") == 0 || b.at("Use") != "System Memory") continue;
      const auto cap = size_bytes(b.count("Maximum Capacity") ? b.at("Maximum Capacity") : "");
      REQUIRE(cap);
      capacity += *cap;
      capacity_known = true;
    }
    CHECK(d["memory"]["max_capacity_bytes"] == (capacity_known ? json(capacity) : json(nullptr)));

    // Memory devices (type 17): installed RAM modules in table order (not ROM/flash devices).
    std::vector<Block> modules;
    for (const auto& b : blocks(dump, "17")) {
      const std::string type = b.count("Type") ? b.at("Type") : "";
      if (!size_bytes(b.count("Size") ? b.at("Size") : "")) continue;
      if (type == "Flash" || type == "ROM" || type == "EEPROM" || type == "FEPROM" || type == "EPROM") continue;
      modules.push_back(b);
    }
    REQUIRE(d["memory"]["modules"].size() == modules.size());
    for (std::size_t i = 0; i < modules.size(); ++i) {
      const auto& m = d["memory"]["modules"][i];
      const auto& o = modules[i];
      CAPTURE(i);
      CHECK(m["size_bytes"] == *size_bytes(o.at("Size")));
      check_string(m["locator"], o.count("Locator") ? o.at("Locator") : "", "locator");
      check_string(m["part_number"], o.count("Part Number") ? o.at("Part Number") : "", "part number");
      check_string(m["serial"], o.count("Serial Number") ? o.at("Serial Number") : "", "serial");
      const std::string maker = o.count("Manufacturer") ? o.at("Manufacturer") : "";
      if (auto named = k_jedec_by_hand.find(maker); named != k_jedec_by_hand.end())
        CHECK(m["manufacturer"] == named->second);
      else
        check_string(m["manufacturer"], maker, "manufacturer");
    }
  }
}
