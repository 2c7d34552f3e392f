# .deb packages with CPack (included from installers/CMakeLists.txt on Linux):
#   cmake --build <build> --target package     -> <build>/itsa-agent_<ver>_amd64.deb, itsa-server_<ver>_amd64.deb
# itsa-agent: /usr/bin/itsa-agent, the systemd unit, /etc/itsa/agent.json (conffile),
#   postinst: user "itsa", /var/lib/itsa, ITSA_SERVER_URL / ITSA_ENROLL_TOKEN -> agent.json, enable + start.
# itsa-server: /usr/bin/itsa-server, its unit, /etc/default/itsa-server (conffile), user "itsa-server".
# Maintainer scripts honour DPKG_ROOT, so tests install into a throwaway root (tests/installers/deb_lifecycle.sh).
set(deb ${CMAKE_CURRENT_SOURCE_DIR}/linux/debian)

# install(TARGETS ...), not PROGRAMS: CPACK_STRIP_FILES strips only targets.
install(TARGETS itsa-agent RUNTIME DESTINATION bin COMPONENT agent)
install(FILES linux/itsa-agent.service DESTINATION /lib/systemd/system COMPONENT agent)
install(FILES linux/agent.json DESTINATION /etc/itsa COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/config/agent.sample.json linux/README.md
        DESTINATION share/doc/itsa-agent COMPONENT agent)
if(TARGET itsa-server)
  install(TARGETS itsa-server RUNTIME DESTINATION bin COMPONENT server)
  install(FILES linux/itsa-server.service DESTINATION /lib/systemd/system COMPONENT server)
  install(FILES linux/itsa-server.default DESTINATION /etc/default RENAME itsa-server COMPONENT server)
  install(FILES linux/README.md DESTINATION share/doc/itsa-server COMPONENT server)
  set(CPACK_COMPONENTS_ALL agent server)
else()
  set(CPACK_COMPONENTS_ALL agent)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "itsa maintainers <itsa@localhost>")
set(CPACK_PACKAGE_VENDOR itsa)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME itsa-agent)
set(CPACK_DEBIAN_AGENT_DESCRIPTION "itsa agent: measures this PC and its office network
 Keeps hardware inventory, resource pressure and network outage evidence in a local store
 and uploads it to an itsa collection server. Runs as the systemd service itsa-agent.")
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~), passwd")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME itsa-server)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "itsa collection server: ingest API, review web UI, reports
 Receives evidence from itsa agents and shows it to reviewers. Runs as the systemd service itsa-server.")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~), passwd")
# CPack reads the control files by name: postinst, prerm, postrm, conffiles.
foreach(comp agent server)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp})
  foreach(script postinst prerm postrm conffiles)
    file(COPY_FILE ${deb}/${comp}.${script} ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp}/${script} ONLY_IF_DIFFERENT)
  endforeach()
  string(TOUPPER ${comp} COMP)
  set(CPACK_DEBIAN_${COMP}_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp}/postinst
      ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp}/prerm ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp}/postrm
      ${CMAKE_CURRENT_BINARY_DIR}/deb-${comp}/conffiles)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debug info stays in the build tree: the packaged binaries are stripped.
set(CPACK_STRIP_FILES ON)
include(CPack)
