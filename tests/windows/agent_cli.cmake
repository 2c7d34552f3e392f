# The real itsa-agent.exe under Wine (cmake -P; scripts/test-windows starts the wineserver).
#   -DWINE=wine -DAGENT=itsa-agent.exe -DSRC=<source dir> -DWORK=<scratch dir>
# Wine sees the host's / as Z:, so host paths are passed as Z:<path>.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(agent)
  execute_process(COMMAND ${WINE} ${AGENT} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 60)
  set(rc "${rc}" PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

agent(version)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^itsa-agent [0-9]+\\.[0-9]+\\.[0-9]+")
  message(FATAL_ERROR "version: exit ${rc}, output '${out}${err}'")
endif()

agent(check-config Z:${SRC}/config/agent.sample.json)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check-config of the sample under Wine: exit ${rc}: ${out}${err}")
endif()

# configure: what the service does with the MSI's properties, through the command line.
agent(configure --config Z:${WORK}/agent.json --server-url https://itsa.example.org --enroll-token tok-1)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure: exit ${rc}: ${out}${err}")
endif()
file(READ ${WORK}/agent.json cfg)
string(JSON url GET "${cfg}" server url)
string(JSON token GET "${cfg}" server enroll_token)
if(NOT url STREQUAL "https://itsa.example.org" OR NOT token STREQUAL "tok-1")
  message(FATAL_ERROR "configure wrote '${cfg}'")
endif()

# links --json: the live Windows link reader (IP Helper, NDIS, registry). Wine 8 answers the NDIS OIDs
# with ERROR_INVALID_PARAMETER and has no network class registry keys: duplex, the maximum speed and the
# CRC counters must be null with a note saying why (never 0), and the command must still succeed.
agent(links --config Z:${WORK}/agent.json --json)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "links --json: exit ${rc}: ${out}${err}")
endif()
string(JSON n_links ERROR_VARIABLE json_error LENGTH "${out}" links)
if(json_error)
  message(FATAL_ERROR "links --json: ${json_error}\n${out}")
endif()
if(n_links GREATER 0)
  math(EXPR last "${n_links} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${out}" links ${i} interface)
    string(JSON max_type TYPE "${out}" links ${i} max_speed_mbps)
    string(JSON crc_type TYPE "${out}" links ${i} rx_crc_errors_total)
    string(JSON n_notes LENGTH "${out}" links ${i} notes)
    if((max_type STREQUAL "NULL" OR crc_type STREQUAL "NULL") AND n_notes EQUAL 0)
      message(FATAL_ERROR "links --json: ${name}: a null field without a note: ${out}")
    endif()
  endforeach()
endif()
message(STATUS "links --json under Wine: ${n_links} interface(s): ${out}")

# The service entry point outside the SCM fails fast with a clear message.
agent(service)
if(rc EQUAL 0 OR NOT err MATCHES "service manager")
  message(FATAL_ERROR "service from a console: exit ${rc}: ${out}${err}")
endif()

# inventory --json: valid JSON whose CPU count is this machine's.
agent(--help)
if(out MATCHES "inventory")
  cmake_host_system_information(RESULT host_cpus QUERY NUMBER_OF_LOGICAL_CORES)
  agent(inventory --json)
  if(NOT rc EQUAL 0)
    # WINEDEBUG=-all hides Wine's own errors (loader, unhandled exception): the test still fails,
    # but one more run with Wine's error channel on shows why.
    set(first "exit ${rc}, stderr '${err}'")
    set(ENV{WINEDEBUG} "err+all,fixme-all")
    agent(inventory --json)
    message(FATAL_ERROR "inventory --json: ${first}; again with WINEDEBUG=err+all: exit ${rc}, stderr '${err}'")
  endif()
  string(JSON cpus ERROR_VARIABLE json_error GET "${out}" cpu logical_cores)
  if(json_error)
    message(FATAL_ERROR "inventory --json: ${json_error}\n${out}")
  endif()
  if(NOT cpus EQUAL host_cpus)
    message(FATAL_ERROR "inventory --json: ${cpus} logical CPUs under Wine, the machine has ${host_cpus}")
  endif()
  message(STATUS "inventory --json: valid JSON, ${cpus} logical CPUs = this machine's")
else()
  message(STATUS "itsa-agent has no inventory command yet: checked version, check-config, configure, service")
endif()
