# Use ccache when it is installed: rebuilds of an unchanged tree take seconds.
find_program(ITSA_CCACHE ccache)
if(ITSA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${ITSA_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${ITSA_CCACHE})
endif()
