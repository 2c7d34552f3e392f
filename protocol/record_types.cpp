#include "protocol/record_types.hpp"

namespace itsa::protocol {

bool is_record_type(std::string_view type) {
  for (auto t : record_types)
    if (t == type) return true;
  return false;
}

}  // namespace itsa::protocol
