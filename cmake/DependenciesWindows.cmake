# The WIN32 branch of Dependencies.cmake: the cross build (cmake/mingw-w64.cmake, scripts/build-windows)
# defines the same imported targets as the Linux build.
# - Header-only libraries (Boost, nlohmann/json, spdlog + fmt, doctest, CLI11) come from the host's
#   /usr/include through a staging dir of symlinks: -I/usr/include would let glibc headers shadow mingw's.
# - curl (Schannel), hwloc and SQLite come from ITSA_WIN_DEPS_PREFIX (scripts/build-windows-deps);
#   zlib from Debian's libz-mingw-w64-dev.
# - Linux-only libraries (libsystemd, OpenSSL, libsodium, PostgreSQL) are not defined: code that needs
#   them is Linux-only.
# Windows 7 SP1 (6.1) is the oldest target (issue 18): the headers declare nothing newer, so a newer
# API is looked up at run time (GetProcAddress) on purpose, and scripts/check-win-imports proves the
# exe imports nothing newer. Lean <windows.h> (winsock2 before windows.h is Asio's business); no
# min/max macros.
add_compile_definitions(_WIN32_WINNT=0x0601 WINVER=0x0601 WIN32_LEAN_AND_MEAN NOMINMAX)

set(ITSA_WIN_STAGE_INCLUDE ${CMAKE_BINARY_DIR}/win-stage/include)
file(MAKE_DIRECTORY ${ITSA_WIN_STAGE_INCLUDE})
foreach(dir boost nlohmann spdlog fmt doctest CLI)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "/usr/include/${dir} is missing: run scripts/install-deps --windows")
  endif()
  if(NOT EXISTS ${ITSA_WIN_STAGE_INCLUDE}/${dir})
    file(CREATE_LINK /usr/include/${dir} ${ITSA_WIN_STAGE_INCLUDE}/${dir} SYMBOLIC)
  endif()
endforeach()

add_library(itsa_win_headers INTERFACE)
target_include_directories(itsa_win_headers SYSTEM INTERFACE ${ITSA_WIN_STAGE_INCLUDE})
# Boost.Asio's sockets.
target_link_libraries(itsa_win_headers INTERFACE ws2_32 mswsock)

# itsa_win_header_target(<alias> [definitions...]): one INTERFACE target per header-only library.
function(itsa_win_header_target alias name)
  add_library(${name} INTERFACE)
  target_link_libraries(${name} INTERFACE itsa_win_headers)
  if(ARGN)
    target_compile_definitions(${name} INTERFACE ${ARGN})
  endif()
  add_library(${alias} ALIAS ${name})
endfunction()
itsa_win_header_target(Boost::boost itsa_win_boost)
itsa_win_header_target(nlohmann_json::nlohmann_json itsa_win_json)
itsa_win_header_target(CLI11::CLI11 itsa_win_cli11)
itsa_win_header_target(doctest::doctest itsa_win_doctest)
# Debian's spdlog/tweakme.h sets SPDLOG_FMT_EXTERNAL: fmt must be header-only too.
itsa_win_header_target(fmt::fmt itsa_win_fmt FMT_HEADER_ONLY)
itsa_win_header_target(spdlog::spdlog itsa_win_spdlog FMT_HEADER_ONLY SPDLOG_HEADER_ONLY)

if(NOT ITSA_WIN_DEPS_PREFIX OR NOT EXISTS ${ITSA_WIN_DEPS_PREFIX}/include/sqlite3.h)
  message(FATAL_ERROR "ITSA_WIN_DEPS_PREFIX='${ITSA_WIN_DEPS_PREFIX}' holds no cross-built dependencies: "
                      "use scripts/build-windows")
endif()
# A new prefix (scripts/build-windows: a new toolchain or Debian source version) must replace every
# cached find result of the old one, which the script deletes after a while.
if(NOT "${ITSA_WIN_DEPS_PREFIX}" STREQUAL "${ITSA_WIN_DEPS_PREFIX_FOUND}")
  foreach(var CURL_DIR ITSA_WIN_HWLOC_INCLUDE ITSA_WIN_HWLOC_LIB ITSA_WIN_SQLITE_INCLUDE ITSA_WIN_SQLITE_LIB)
    unset(${var} CACHE)
  endforeach()
  set(ITSA_WIN_DEPS_PREFIX_FOUND "${ITSA_WIN_DEPS_PREFIX}" CACHE INTERNAL "prefix the cached finds come from")
endif()
find_package(CURL CONFIG REQUIRED)

find_path(ITSA_WIN_HWLOC_INCLUDE hwloc.h REQUIRED)
find_library(ITSA_WIN_HWLOC_LIB hwloc REQUIRED)
add_library(PkgConfig::HWLOC STATIC IMPORTED)
set_target_properties(PkgConfig::HWLOC PROPERTIES IMPORTED_LOCATION ${ITSA_WIN_HWLOC_LIB}
  INTERFACE_INCLUDE_DIRECTORIES ${ITSA_WIN_HWLOC_INCLUDE})

find_path(ITSA_WIN_SQLITE_INCLUDE sqlite3.h REQUIRED)
find_library(ITSA_WIN_SQLITE_LIB sqlite3 REQUIRED)
add_library(SQLite::SQLite3 STATIC IMPORTED)
set_target_properties(SQLite::SQLite3 PROPERTIES IMPORTED_LOCATION ${ITSA_WIN_SQLITE_LIB}
  INTERFACE_INCLUDE_DIRECTORIES ${ITSA_WIN_SQLITE_INCLUDE})

# libz.a: the agent is one self-contained exe. FindZLIB would otherwise pick libz.dll.a (its suffix
# is .a too), and the exe would need zlib1.dll, which no Windows has (Wine ships one: tests passed).
# FORCE: a build dir configured before this fix has libz.dll.a in its cache.
find_library(ITSA_WIN_ZLIB_LIB NAMES libz.a REQUIRED)
set(ZLIB_LIBRARY_RELEASE ${ITSA_WIN_ZLIB_LIB} CACHE FILEPATH "zlib, static" FORCE)
find_package(ZLIB REQUIRED)
