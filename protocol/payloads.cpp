#include "protocol/payloads.hpp"

namespace itsa::protocol {

void to_json(nlohmann::json& j, const OutageProbeSettings& s) {
  j = nlohmann::json{{evidence_key::probe_interval_s, s.probe_interval_s},
                     {evidence_key::down_after, s.down_after},
                     {evidence_key::up_after, s.up_after}};
}

void from_json(const nlohmann::json& j, OutageProbeSettings& s) {
  j.at(evidence_key::probe_interval_s).get_to(s.probe_interval_s);
  j.at(evidence_key::down_after).get_to(s.down_after);
  j.at(evidence_key::up_after).get_to(s.up_after);
}

}  // namespace itsa::protocol
