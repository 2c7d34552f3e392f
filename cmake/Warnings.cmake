# Compiler warnings for itsa's own targets: itsa_set_warnings(target).
# ITSA_WERROR=ON (set in CI) turns them into errors.
function(itsa_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
  if(ITSA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
