// ATA SMART decoding: libatasmart's `skdump --save` blob, IDENTIFY DEVICE, SMART READ DATA and
// READ THRESHOLDS pages (ATA/ATAPI-8 layout: 30 attribute slots of 12 bytes from offset 2).
// Raw values by attribute: 5 and 196 the low 16 bits, 9 the low 24 bits in the family's unit,
// 190/194 the low byte (°C), others the whole 48 bits (smartctl's defaults); drive families in
// ata_family.cpp.
#include <fmt/format.h>

#include <map>

#include "collectors/disk_health/ata_family.hpp"
#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {
namespace {

constexpr std::size_t k_slots = 30;
constexpr std::size_t k_slot_bytes = 12;

std::uint32_t be32(ByteView b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         std::uint32_t{b[at + 3]};
}

/// An ATA string: `words` 16-bit words from byte `at`, bytes swapped in each word, trimmed.
std::optional<std::string> ata_string(const Bytes& page, std::size_t at, std::size_t words) {
  if (page.size() < at + 2 * words) return std::nullopt;
  std::string s;
  for (std::size_t i = 0; i < words; ++i) {
    for (std::size_t k : {at + 2 * i + 1, at + 2 * i}) {
      const auto c = static_cast<char>(page[k]);
      s += (page[k] >= 0x20 && page[k] < 0x7F) ? c : ' ';
    }
  }
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return std::nullopt;
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::uint64_t raw48(const Bytes& page, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 5; i >= 0; --i) v = (v << 8) | page[at + static_cast<std::size_t>(i)];
  return v;
}

bool checksum_ok(const Bytes& page) {
  unsigned sum = 0;
  for (auto b : page) sum += b;
  return (sum & 0xFF) == 0;
}

const AtaAttribute* find(const std::vector<AtaAttribute>& attrs, int id) {
  for (const auto& a : attrs)
    if (a.id == id) return &a;
  return nullptr;
}

std::optional<std::int64_t> temperature_of(const AtaAttribute* a) {
  if (!a) return std::nullopt;
  const auto t = static_cast<std::int64_t>(a->raw & 0xFF);
  if (t < 1 || t > 127) return std::nullopt;  // 0 = not reported; above 127 is not a drive temperature
  return t;
}

std::optional<std::int64_t> life_used(int life_left_pct) {
  if (life_left_pct < 0 || life_left_pct > 100) return std::nullopt;
  return 100 - life_left_pct;
}

void decode_fields(DiskHealth& d, const AtaFamily& f) {
  const auto& attrs = d.attributes;
  if (const auto* a = find(attrs, 5)) {
    if (f.reallocated_vendor_specific)
      d.notes.push_back(
          fmt::format("attribute 5 raw value 0x{:012x} is vendor-specific on {}: not a sector count", a->raw, f.name));
    else
      d.reallocated_sectors = static_cast<std::int64_t>(a->raw & 0xFFFF);
  }
  if (const auto* a = find(attrs, 9)) {
    const auto count = static_cast<std::int64_t>(a->raw & 0xFFFFFF);
    switch (f.power_on_unit) {
      case PowerOnUnit::hours:
        d.power_on_hours = count;
        break;
      case PowerOnUnit::minutes:
        d.power_on_hours = count / 60;
        break;
      case PowerOnUnit::half_minutes:
        d.power_on_hours = count / 120;
        break;
    }
  }
  for (int id : {197, 198}) {
    const auto* a = find(attrs, id);
    if (!a) continue;
    if (f.pending_vendor_specific) {
      d.notes.push_back(fmt::format("attribute {} raw value 0x{:012x} is vendor-specific on {}: not a sector count", id,
                                    a->raw, f.name));
      continue;
    }
    (id == 197 ? d.pending_sectors : d.offline_uncorrectable) = static_cast<std::int64_t>(a->raw);
  }
  if (const auto* a = find(attrs, 199)) d.udma_crc_errors = static_cast<std::int64_t>(a->raw);
  if (const auto* a = find(attrs, 187)) d.reported_uncorrectable = static_cast<std::int64_t>(a->raw);
  if (const auto* a = find(attrs, 188)) d.command_timeouts = static_cast<std::int64_t>(a->raw);
  d.temperature_c = temperature_of(find(attrs, 194));
  if (!d.temperature_c && !f.airflow_not_temperature) d.temperature_c = temperature_of(find(attrs, 190));
  if (const auto* a = find(attrs, 231); a && f.life_left_231)
    d.wear_pct = life_used(static_cast<int>(a->raw & 0xFF));
  else if (const auto* w = find(attrs, 233); w && f.media_wearout_233)
    d.wear_pct = life_used(w->value);
  else if (const auto* s = find(attrs, 177); s && d.ssd == true)
    d.wear_pct = life_used(s->value);  // Wear_Leveling_Count: normalised = life left (Samsung, Crucial)
}

}  // namespace

Result<AtaPages> parse_skdump_blob(ByteView blob) {
  AtaPages pages;
  std::size_t at = 0;
  while (at < blob.size()) {
    if (blob.size() - at < 8) {
      pages.notes.push_back(
          fmt::format("skdump blob: {} stray bytes at offset {} (a record header needs 8)", blob.size() - at, at));
      break;
    }
    std::string tag;
    for (std::size_t i = 0; i < 4; ++i)
      tag += (blob[at + i] >= 0x20 && blob[at + i] < 0x7F) ? std::string(1, static_cast<char>(blob[at + i]))
                                                           : fmt::format("\\x{:02x}", blob[at + i]);
    const std::uint32_t len = be32(blob, at + 4);
    at += 8;
    const std::size_t have = std::min<std::size_t>(len, blob.size() - at);
    if (have < len)
      pages.notes.push_back(fmt::format("skdump blob: record {} truncated: {} of {} bytes", tag, have, len));
    const Bytes data(blob.begin() + static_cast<std::ptrdiff_t>(at),
                     blob.begin() + static_cast<std::ptrdiff_t>(at + have));
    at += have;
    if (tag == "IDFY")
      pages.identify = data;
    else if (tag == "SMDT")
      pages.smart_data = data;
    else if (tag == "SMTH")
      pages.thresholds = data;
    else if (tag == "SMST" && data.size() == 4)
      pages.status_passed = be32(data, 0) != 0;
    else if (tag == "SMST")
      pages.notes.push_back("skdump blob: SMART status record is not 4 bytes; status unknown");
    else
      pages.notes.push_back(fmt::format("skdump blob: unknown record '{}' ({} bytes) skipped", tag, len));
  }
  if (pages.identify.empty() || pages.smart_data.empty()) {
    std::string msg = fmt::format("skdump blob ({} bytes) has no {} record", blob.size(),
                                  pages.identify.empty() ? "IDENTIFY (IDFY)" : "SMART DATA (SMDT)");
    for (const auto& n : pages.notes) msg += "; " + n;
    return Error{msg};
  }
  return pages;
}

Result<DiskHealth> decode_ata(const AtaPages& pages) {
  if (pages.smart_data.size() < k_ata_page_bytes)
    return Error{fmt::format("SMART DATA page truncated: {} of {} bytes", pages.smart_data.size(), k_ata_page_bytes)};
  DiskHealth d;
  d.kind = "ata";
  d.notes = pages.notes;
  d.smart_passed = pages.status_passed;
  if (pages.identify.size() >= k_ata_page_bytes) {
    d.serial = ata_string(pages.identify, 20, 10);
    d.firmware = ata_string(pages.identify, 46, 4);
    d.model = ata_string(pages.identify, 54, 20);
    const unsigned rotation = pages.identify[434] | (pages.identify[435] << 8);
    if (rotation == 1)
      d.ssd = true;
    else if (rotation >= 0x0401 && rotation <= 0xFFFE)
      d.ssd = false;
  } else {
    d.notes.push_back(fmt::format("IDENTIFY page truncated: {} of {} bytes; model and drive family unknown",
                                  pages.identify.size(), k_ata_page_bytes));
  }
  if (!checksum_ok(pages.smart_data)) d.notes.push_back("SMART DATA page checksum does not match (byte 511)");
  std::map<int, int> thresholds;
  if (pages.thresholds.size() >= k_ata_page_bytes) {
    for (std::size_t i = 0; i < k_slots; ++i) {
      const std::size_t at = 2 + i * k_slot_bytes;
      if (pages.thresholds[at] != 0) thresholds[pages.thresholds[at]] = pages.thresholds[at + 1];
    }
  } else {
    d.notes.push_back(fmt::format("SMART THRESHOLDS page missing or truncated ({} of {} bytes); thresholds unknown",
                                  pages.thresholds.size(), k_ata_page_bytes));
  }
  const AtaFamily family = ata_family(d.model.value_or(""), d.firmware.value_or(""));
  for (std::size_t i = 0; i < k_slots; ++i) {
    const std::size_t at = 2 + i * k_slot_bytes;
    const int id = pages.smart_data[at];
    if (id == 0) continue;
    AtaAttribute a;
    a.id = id;
    a.name = attribute_name(id, family);
    a.prefailure = (pages.smart_data[at + 1] & 0x01) != 0;
    a.value = pages.smart_data[at + 3];
    a.worst = pages.smart_data[at + 4];
    a.raw = raw48(pages.smart_data, at + 5);
    if (auto t = thresholds.find(id); t != thresholds.end()) a.threshold = t->second;
    d.attributes.push_back(std::move(a));
  }
  if (d.attributes.empty()) d.notes.push_back("SMART DATA page holds no attribute");
  decode_fields(d, family);
  return d;
}

}  // namespace itsa::collectors::disk_health
