# ITSA_SMALL_AGENT (Linux, default ON unless sanitizing): the agent runs on every PC of an agency, so its
# resident memory is mostly the code and relocated data of what it loads (bench/footprint/RESULTS.md).
# - Every object is built with one section per function/datum, and the agent links with --gc-sections:
#   only code the agent can reach is in its binary, packed closer together.
# - spdlog and fmt are used header-only (as in the Windows build): no libspdlog.so / libfmt.so.
# - The agent links libstdc++ and libgcc statically (only what it uses), so no libstdc++.so is mapped.
# - libcurl: with ITSA_CURL_PREFIX (scripts/build-linux-deps: Debian's curl source, HTTP(S) only,
#   OpenSSL + zlib, static), instead of Debian's libcurl4 and the ~30 libraries it pulls in (Kerberos,
#   LDAP, GnuTLS for librtmp, SSH, IDN, ...). Without the prefix, Debian's libcurl is used.
#   Being static, a curl security fix reaches the agent by a rebuild: the cache key of
#   scripts/build-linux-deps is Debian's curl source version, so the next build uses the fixed source.
#   OpenSSL, zlib, SQLite and hwloc stay Debian's shared libraries (fixed by apt).
# Test programs link the same libraries, so the tests run the code that ships.
if(WIN32)
  set(ITSA_SMALL_AGENT OFF)
else()
  if(ITSA_SANITIZE)
    set(itsa_small_default OFF)
  else()
    set(itsa_small_default ON)
  endif()
  option(ITSA_SMALL_AGENT "Build the agent for a small memory footprint (see cmake/SmallAgent.cmake)"
         ${itsa_small_default})
endif()
set(ITSA_CURL_PREFIX "" CACHE PATH "Prefix of a static libcurl (scripts/build-linux-deps); empty: Debian's libcurl")

if(ITSA_SMALL_AGENT)
  add_compile_options(-ffunction-sections -fdata-sections)
endif()

# itsa_small_agent_link(<target>): the link options of a small agent executable.
function(itsa_small_agent_link target)
  if(ITSA_SMALL_AGENT)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--gc-sections -Wl,--as-needed)
  endif()
endfunction()
