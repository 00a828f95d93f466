# Install rules: headers, the libraries, an exported namespaced package with a version
# file, and a build-tree export so that find_package(cts) also works against a build.
set(CTS_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cts)

install(DIRECTORY include/cts DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS cts cts_headers ${CTS_COMPONENT_TARGETS}
  EXPORT ctsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ctsTargets NAMESPACE cts:: DESTINATION ${CTS_CMAKE_INSTALL_DIR})

configure_package_config_file(cmake/ctsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ctsConfig.cmake
  INSTALL_DESTINATION ${CTS_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ctsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/ctsConfig.cmake
  ${PROJECT_BINARY_DIR}/ctsConfigVersion.cmake
  DESTINATION ${CTS_CMAKE_INSTALL_DIR})

export(EXPORT ctsTargets NAMESPACE cts:: FILE ${PROJECT_BINARY_DIR}/ctsTargets.cmake)
