#pragma once
// Reading the few fields itsa needs from one Windows event rendered as XML (EvtRender
// EvtRenderEventXml; Microsoft's documented Event schema): an element's text, an attribute, a
// named or the n-th <Data>. Not an XML parser: the rendered events are machine-written, flat and
// small. Portable, used by the System-log parsers of instability/, boot/ and history/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace itsa::collectors::eventlog {

/// The text of the first element `tag` ("<EventID Qualifiers='0'>6008</EventID>" → "6008").
std::optional<std::string_view> element_text(std::string_view xml, std::string_view tag);
/// The value of attribute `name` of the first element `tag`, either quote style.
std::optional<std::string_view> attribute(std::string_view xml, std::string_view tag, std::string_view name);
/// The text of <Data Name='name'>…</Data> (either quote).
std::optional<std::string_view> data_named(std::string_view xml, std::string_view name);
/// The text of the `index`-th (0-based) <Data> element of EventData, named or not.
std::optional<std::string_view> data_at(std::string_view xml, std::size_t index);
/// A decimal number, or nullopt when `s` is not one (no spaces, no sign).
std::optional<std::int64_t> decimal(std::string_view s);

}  // namespace itsa::collectors::eventlog
