#pragma once
// Portable decoders of what Windows' NDIS answers about a network adapter (issue 18 item 3):
// the OID buffers of IOCTL_NDIS_QUERY_GLOBAL_STATS (NDIS_LINK_STATE, NDIS_LINK_SPEED,
// NDIS_STATISTICS_INFO, ULONG/ULONG64 counters, NDIS_MEDIA_DUPLEX_STATE) and the adapter's
// *SpeedDuplex registry enumeration. Byte layouts as Microsoft documents them (little-endian,
// natural alignment; the same on x86 and x64); the Windows reader only fetches the bytes
// (link_reader_windows.cpp, ndis_query_windows.cpp), so every decoder is tested on Linux too.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collectors/network/link_state.hpp"
#include "common/result.hpp"

namespace itsa::network::ndis {

using Bytes = std::vector<std::uint8_t>;

// OIDs (ntddndis.h). The Windows reader checks these against the SDK's at compile time.
inline constexpr std::uint32_t k_oid_gen_max_link_speed = 0x00010206;         ///< NDIS 6.0+: NDIS_LINK_SPEED
inline constexpr std::uint32_t k_oid_gen_link_state = 0x00010207;             ///< NDIS 6.0+: NDIS_LINK_STATE
inline constexpr std::uint32_t k_oid_gen_media_duplex_state = 0x0001028c;     ///< NDIS 6.0+: ULONG enum
inline constexpr std::uint32_t k_oid_gen_statistics = 0x00020106;             ///< NDIS 6.0+: NDIS_STATISTICS_INFO
inline constexpr std::uint32_t k_oid_gen_rcv_crc_error = 0x0002020d;          ///< optional: ULONG or ULONG64
inline constexpr std::uint32_t k_oid_802_3_rcv_error_alignment = 0x01020101;  ///< 802.3: ULONG or ULONG64

inline constexpr std::uint8_t k_object_type_default = 0x80;  ///< NDIS_OBJECT_TYPE_DEFAULT
inline constexpr std::size_t k_link_state_size_rev1 = 40;    ///< NDIS_SIZEOF_LINK_STATE_REVISION_1
inline constexpr std::size_t k_statistics_size_rev1 = 152;   ///< NDIS_SIZEOF_STATISTICS_INFO_REVISION_1
inline constexpr std::size_t k_link_speed_size = 16;         ///< sizeof(NDIS_LINK_SPEED)

/// NDIS_LINK_STATE (OID_GEN_LINK_STATE): speeds in Mb/s (nullopt: NDIS_LINK_SPEED_UNKNOWN or 0).
struct LinkState {
  std::string connect;  ///< "connected", "disconnected" or "" (unknown)
  std::string duplex;   ///< "full", "half" or "" (unknown)
  std::optional<int> xmit_mbps;
  std::optional<int> rcv_mbps;
};

/// NDIS_STATISTICS_INFO (OID_GEN_STATISTICS): each counter only when SupportedStatistics flags it valid.
struct Statistics {
  std::optional<std::uint64_t> rx_errors;    ///< ifInErrors
  std::optional<std::uint64_t> rx_discards;  ///< ifInDiscards
  std::optional<std::uint64_t> tx_errors;    ///< ifOutErrors
  std::optional<std::uint64_t> tx_discards;  ///< ifOutDiscards
};

/// OID_GEN_LINK_STATE's buffer; an error (naming the OID and why) for a short buffer or a wrong
/// NDIS_OBJECT_HEADER (Type, Revision, Size).
Result<LinkState> parse_link_state(const Bytes& b);
/// OID_GEN_MAX_LINK_SPEED's NDIS_LINK_SPEED: the faster of transmit and receive, Mb/s.
Result<int> parse_max_link_speed(const Bytes& b);
/// OID_GEN_MEDIA_DUPLEX_STATE's ULONG: "full", "half" or "" (MediaDuplexStateUnknown).
Result<std::string> parse_duplex_state(const Bytes& b);
/// A statistics OID's counter: 4 bytes (ULONG) or 8 (ULONG64), as NDIS answers either.
Result<std::uint64_t> parse_counter(const Bytes& b, const char* oid_name);
/// OID_GEN_STATISTICS's NDIS_STATISTICS_INFO.
Result<Statistics> parse_statistics(const Bytes& b);

/// One entry of the adapter's Ndi\Params\*SpeedDuplex\enum key: value name and its text.
struct SpeedDuplexMode {
  std::string value;        ///< "0", "4", "6", "2500", ...
  std::string description;  ///< "1.0 Gbps Full Duplex" (localized by the driver's INF)
};
/// Speed (Mb/s) of one *SpeedDuplex value: the standardized values 1-10, or a direct value in
/// Mb/s (>= 1000); nullopt for 0 (auto negotiation) and anything else.
std::optional<int> speed_duplex_value_mbps(const std::string& value);
/// Fastest mode the adapter's driver lists; a value outside the standard table is read from its
/// description ("2.5 Gbps", "100 Mbps"). nullopt when no entry names a speed.
std::optional<int> max_speed_from_speed_duplex(const std::vector<SpeedDuplexMode>& modes);

/// What the reader fetched for one adapter: each OID's bytes or why the query failed, and the
/// registry's *SpeedDuplex enumeration (empty when the driver has none), its configured value.
struct Answers {
  std::string open_error;  ///< non-empty: the adapter's device could not be opened (no OID answers)
  Result<Bytes> link_state = Error{"not queried"};
  Result<Bytes> max_link_speed = Error{"not queried"};
  Result<Bytes> duplex_state = Error{"not queried"};
  Result<Bytes> rcv_crc_error = Error{"not queried"};
  Result<Bytes> rcv_error_alignment = Error{"not queried"};
  Result<Bytes> statistics = Error{"not queried"};
  std::vector<SpeedDuplexMode> speed_duplex_modes;
  std::string speed_duplex_configured;  ///< the adapter's *SpeedDuplex value ("0" = auto), "" unknown
};

/// The link evidence decoded from Answers; what no source gives stays nullopt/"" with a note.
struct Evidence {
  std::optional<int> speed_mbps;      ///< NDIS_LINK_STATE's receive speed
  std::optional<int> max_speed_mbps;  ///< OID_GEN_MAX_LINK_SPEED, else *SpeedDuplex
  std::string max_speed_source;       ///< "OID_GEN_MAX_LINK_SPEED", "registry *SpeedDuplex" or ""
  std::string duplex;                 ///< "full", "half" or ""
  std::optional<std::uint64_t> rx_crc_errors;
  std::optional<std::uint64_t> rx_alignment_errors;
  Statistics statistics;
  std::vector<std::string> notes;
};

/// Decodes every answer; `connected` says whether the link is up (duplex is unknown without a link,
/// which is no fault of the driver: no note then).
Evidence decode(const Answers& answers, bool connected);

/// Completes a snapshot IP Helper filled (carrier, speed, MIB_IF_ROW2 counters) with the evidence: the
/// maximum speed, duplex (with a link), CRC and alignment errors, the negotiated speed when IP Helper had
/// none, and the notes. The link tracker then treats it as a Linux snapshot (speed_downgrade, below_max_speed).
void apply(const Evidence& evidence, LinkSnapshot& snap);

}  // namespace itsa::network::ndis
