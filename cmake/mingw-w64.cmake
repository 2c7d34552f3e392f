# Toolchain: cross-compile itsa for Windows with Debian's mingw-w64 (posix thread model), 64-bit
# (x86_64-w64-mingw32, the default) or 32-bit (ITSA_WIN_ARCH=x86: i686-w64-mingw32).
# Used by scripts/build-windows:
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake -DITSA_WIN_ARCH=x64|x86 -DITSA_WIN_DEPS_PREFIX=<prefix> ...
# ITSA_WIN_DEPS_PREFIX holds curl (Schannel), hwloc and SQLite built statically from Debian's
# source packages (scripts/build-windows-deps). Header-only libraries come from the host's
# /usr/include through a staging dir of symlinks (cmake/Dependencies.cmake, WIN32 branch):
# adding /usr/include itself would let glibc headers shadow mingw's.
if(NOT ITSA_WIN_ARCH AND DEFINED ENV{ITSA_WIN_ARCH})
  set(ITSA_WIN_ARCH "$ENV{ITSA_WIN_ARCH}")
endif()
if(NOT ITSA_WIN_ARCH)
  set(ITSA_WIN_ARCH x64)
endif()
set(ITSA_WIN_ARCH "${ITSA_WIN_ARCH}" CACHE STRING "Windows architecture: x64 or x86")
set(CMAKE_SYSTEM_NAME Windows)
if(ITSA_WIN_ARCH STREQUAL "x64")
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
  set(ITSA_MINGW_TRIPLET x86_64-w64-mingw32)
elseif(ITSA_WIN_ARCH STREQUAL "x86")
  set(CMAKE_SYSTEM_PROCESSOR x86)
  set(ITSA_MINGW_TRIPLET i686-w64-mingw32)
else()
  message(FATAL_ERROR "ITSA_WIN_ARCH='${ITSA_WIN_ARCH}': x64 or x86")
endif()

set(CMAKE_C_COMPILER ${ITSA_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${ITSA_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${ITSA_MINGW_TRIPLET}-windres)

if(NOT ITSA_WIN_DEPS_PREFIX AND DEFINED ENV{ITSA_WIN_DEPS_PREFIX})
  set(ITSA_WIN_DEPS_PREFIX "$ENV{ITSA_WIN_DEPS_PREFIX}")
endif()
set(ITSA_WIN_DEPS_PREFIX "${ITSA_WIN_DEPS_PREFIX}" CACHE PATH "Prefix of the cross-built curl, hwloc and SQLite")
# try_compile projects inherit these variables.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ITSA_WIN_DEPS_PREFIX ITSA_WIN_ARCH)

set(CMAKE_FIND_ROOT_PATH /usr/${ITSA_MINGW_TRIPLET} ${ITSA_WIN_DEPS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Static archives only: the agent is one self-contained .exe.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(ENV{PKG_CONFIG_LIBDIR} "${ITSA_WIN_DEPS_PREFIX}/lib/pkgconfig:/usr/${ITSA_MINGW_TRIPLET}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# libstdc++, libgcc and winpthread linked in: the .exe imports only system DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# ctest (and anything run at build time) goes through Wine.
find_program(ITSA_WINE wine)
if(ITSA_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ITSA_WINE})
endif()
