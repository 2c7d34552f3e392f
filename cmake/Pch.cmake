# Precompiled headers per target for the heavy third-party headers every file of it includes
# (nlohmann/json, spdlog/fmt, Boost.Outcome; Asio, Beast or CLI11 where the target uses them).
# ITSA_PCH=OFF builds without them. ccache caches PCH builds with the sloppiness set in Ccache.cmake.
#   itsa_pch(target [ASIO] [BEAST] [CLI])
option(ITSA_PCH "Precompiled headers for itsa's own targets" ON)
function(itsa_pch target)
  # Not in the Windows cross build: its files keep the order of Windows system headers.
  if(NOT ITSA_PCH OR WIN32)
    return()
  endif()
  cmake_parse_arguments(P "ASIO;BEAST;CLI" "" "" ${ARGN})
  # <utility> first: Boost 1.74 misses it in C++20 (std::exchange).
  set(headers <utility> <chrono> <functional> <map> <memory> <optional> <string> <string_view> <vector>
      <nlohmann/json.hpp> <spdlog/spdlog.h> <boost/outcome/result.hpp>)
  if(P_ASIO OR P_BEAST)
    list(APPEND headers <boost/asio/io_context.hpp> <boost/asio/steady_timer.hpp> <boost/asio/post.hpp>)
  endif()
  if(P_BEAST)
    list(APPEND headers <boost/beast/core.hpp> <boost/beast/http.hpp>)
  endif()
  if(P_CLI)
    list(APPEND headers <CLI/CLI.hpp>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
