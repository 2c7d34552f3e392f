#pragma once
// The one vi/en text catalogue of itsa's readers: every word and sentence a person reads in the
// report (HTML, CSV, charts) and in the review UI (keys "ui.<name>"). Vietnamese in administrative
// wording first, English second. Read through report::label() (report/text.hpp) and web::t().
#include <map>
#include <string_view>

namespace itsa::report {

/// One entry: the Vietnamese and the English text ({1}, {2}, ... are arguments).
struct CatalogueEntry {
  const char* vi;
  const char* en;
};

/// Every entry by key.
const std::map<std::string_view, CatalogueEntry>& catalogue();

}  // namespace itsa::report
