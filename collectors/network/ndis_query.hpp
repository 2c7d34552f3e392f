#pragma once
// Fetches an adapter's NDIS answers (Windows only; defined in ndis_query_windows.cpp): the OIDs of
// ndis_parse.hpp through IOCTL_NDIS_QUERY_GLOBAL_STATS on \\.\{AdapterGUID}, and the *SpeedDuplex
// enumeration of its network class registry key. Bytes only: decoding is ndis::decode.
#include <string>

#include "collectors/network/ndis_parse.hpp"

namespace itsa::network::ndis {

/// `adapter_guid` as "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (MIB_IF_ROW2.InterfaceGuid). Never
/// fails as a whole: each answer says what could not be read.
Answers query_adapter(const std::string& adapter_guid);

}  // namespace itsa::network::ndis
