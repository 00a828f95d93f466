# cts_add_component(<name> [LINK <targets>...] [PRIVATE_LINK <targets>...])
#
# Builds src/<name>/*.cpp into the static library cts_<name> (alias cts::<name>),
# public headers from include/cts. A component whose folder holds no source yet is
# skipped, and every target it names in LINK that does not exist is dropped, so the
# library grows folder by folder. The created targets are collected in
# CTS_COMPONENT_TARGETS for the umbrella target cts::cts.
function(cts_add_component name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "LINK;PRIVATE_LINK")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)
    return()
  endif()
  set(target cts_${name})
  add_library(${target} STATIC ${sources})
  add_library(cts::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${name}
    POSITION_INDEPENDENT_CODE ON
    OUTPUT_NAME cts_${name})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  set(public_links cts_headers)
  foreach(dep IN LISTS arg_LINK)
    if(TARGET ${dep})
      list(APPEND public_links ${dep})
    endif()
  endforeach()
  target_link_libraries(${target} PUBLIC ${public_links})
  foreach(dep IN LISTS arg_PRIVATE_LINK)
    if(TARGET ${dep})
      target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:${dep}>)
    endif()
  endforeach()
  set(CTS_COMPONENT_TARGETS ${CTS_COMPONENT_TARGETS} ${target} PARENT_SCOPE)
endfunction()
