# cts_add_component(<name> [LINK <targets>...] [PRIVATE_LINK <targets>...])
#
# Builds src/<name>/*.cpp into the static library cts_<name> (alias cts::<name>),
# public headers from include/cts. A component whose folder holds no source yet is
# skipped, and every target it names in LINK that does not exist is dropped, so the
# library grows folder by folder. The created targets are collected in
# CTS_COMPONENT_TARGETS for the umbrella target cts::cts.
#
# With CTS_UNITY_BUILD (the dev and tsan presets) a component's sources compile as CMake
# unity batches: its headers are parsed once per batch, not once per file, and template
# code the files share (net's Beast streams, TLS and HTTP parser) is instantiated once.
# A component is split into as few batches as CTS_UNITY_BATCH_MAX (16) files each allows,
# of even size (engine: 29 files in 15 + 14), since every batch pays
# the headers again (about 5 CPU-s under TSan: the engine's 4 batches of 8 cost 45.3
# CPU-s, the same files in 2 batches 35.1).
# Components listed in CTS_UNITY_EXCLUDED compile file by file. GCC's
# -Wsubobject-linkage is off in unity batches: it warns about file-local types used in a
# header, and a batch includes every file of the component as if it were a header.
option(CTS_UNITY_BUILD "Compile each component and test suite in batches" OFF)
set(CTS_UNITY_BATCH_MAX 16 CACHE STRING "most source files per unity batch of a component")
set(CTS_UNITY_EXCLUDED)
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
  if(CTS_UNITY_BUILD AND NOT name IN_LIST CTS_UNITY_EXCLUDED)
    list(LENGTH sources count)
    math(EXPR batches "(${count} + ${CTS_UNITY_BATCH_MAX} - 1) / ${CTS_UNITY_BATCH_MAX}")
    math(EXPR batch_size "(${count} + ${batches} - 1) / ${batches}")
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch_size})
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
    endif()
  endif()
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
