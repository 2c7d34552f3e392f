#pragma once
// SMBIOS system UUIDs that firmware vendors ship unchanged on many machines: they name no
// machine, so they are neither reported nor used as a machine key (collectors/identity/).
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace itsa::collectors::smbios {

/// True for a known default UUID (RFC 4122 text, any case): AMI's
/// 03000200-0400-0500-0006-000700080009 (in both byte orders), all zeros, all FF.
inline bool is_default_uuid(std::string_view uuid) {
  static constexpr std::string_view k_defaults[] = {
      "03000200-0400-0500-0006-000700080009",  // AMI Aptio default (SMBIOS 2.6+ byte order)
      "00020003-0004-0005-0006-000700080009",  // the same bytes read in the pre-2.6 order
      "00000000-0000-0000-0000-000000000000",  // "not present"
      "ffffffff-ffff-ffff-ffff-ffffffffffff",  // "not settable"
  };
  std::string lower(uuid);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(std::begin(k_defaults), std::end(k_defaults), lower) != std::end(k_defaults);
}

}  // namespace itsa::collectors::smbios
