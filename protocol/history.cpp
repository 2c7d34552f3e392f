// The `history` record payload (see history.hpp).
#include "protocol/history.hpp"

namespace itsa::protocol {

bool is_history_kind(const std::string& kind) {
  for (const char* k : {history_kind::link_down, history_kind::link_up, history_kind::nic_reset,
                        history_kind::unexpected_shutdown, history_kind::crash})
    if (kind == k) return true;
  return false;
}

void to_json(nlohmann::json& j, const HistoryGroup& g) {
  j = nlohmann::json{{"id", g.id},
                     {"source", g.source},
                     {"kind", g.kind},
                     {"provider", g.provider},
                     {"event_id", g.event_id ? nlohmann::json(*g.event_id) : nlohmann::json(nullptr)},
                     {"adapter", g.adapter ? nlohmann::json(*g.adapter) : nlohmann::json(nullptr)},
                     {"day", g.day},
                     {"count", g.count},
                     {"first", g.first},
                     {"last", g.last},
                     {"before_install", g.before_install}};
}

void from_json(const nlohmann::json& j, HistoryGroup& g) {
  j.at("id").get_to(g.id);
  j.at("source").get_to(g.source);
  j.at("kind").get_to(g.kind);
  j.at("provider").get_to(g.provider);
  const auto& event_id = j.at("event_id");
  g.event_id = event_id.is_null() ? std::nullopt : std::optional<int>(event_id.get<int>());
  const auto& adapter = j.at("adapter");
  g.adapter = adapter.is_null() ? std::nullopt : std::optional<std::string>(adapter.get<std::string>());
  j.at("day").get_to(g.day);
  j.at("count").get_to(g.count);
  j.at("first").get_to(g.first);
  j.at("last").get_to(g.last);
  j.at("before_install").get_to(g.before_install);
}

std::optional<HistoryGroup> history_group_of(const nlohmann::json& payload) {
  try {
    HistoryGroup g = payload.get<HistoryGroup>();
    if (g.id.empty() || !is_history_kind(g.kind) || g.count < 1) return std::nullopt;
    return g;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace itsa::protocol
