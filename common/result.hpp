#pragma once
// Result<T>: a value or an Error, for code below the top level (no exceptions past a
// collector's or a store's boundary). Built on Boost.Outcome.
#include <string>
#include <utility>

#include <boost/outcome/result.hpp>

namespace itsa {

/// An error that says what failed and where, in one sentence a user can act on.
struct Error {
  std::string message;
};

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

template <class T>
using Result = outcome::result<T, Error, outcome::policy::terminate>;

/// The success value of a Result<void>.
inline auto ok() {
  return outcome::success();
}

}  // namespace itsa
