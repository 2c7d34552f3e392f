# Use ccache when it is installed: rebuilds of an unchanged tree take seconds.
# pch_defines,time_macros: ccache may cache files built with a precompiled header (cmake/Pch.cmake).
find_program(ITSA_CCACHE ccache)
if(ITSA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(itsa_launcher ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      ${ITSA_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${itsa_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${itsa_launcher})
endif()
