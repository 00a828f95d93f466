# Consumer tests: a tiny project finds an installed cts with find_package(cts) and links
# cts::cts (every component, as installed by this build); the same program pulls the source
# tree in with add_subdirectory (configured, then built, linked and run against cts::sign,
# so that one compiled component is built from a parent project without compiling the
# whole library a third time) and with FetchContent (configured).
set(cts_consumer_prefix ${CMAKE_BINARY_DIR}/consumer/prefix)
# The installed libraries carry this build's flags (sanitizers included), so the
# find_package consumer compiles with them; the source-tree consumers build their own
# component, without sanitizers or debug information and as unity batches, which is what
# compiles fastest.
set(cts_consumer_flags
  -DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS}
  -DCMAKE_EXE_LINKER_FLAGS=${CMAKE_EXE_LINKER_FLAGS}
  -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
  -DCMAKE_CXX_FLAGS_DEBUG=${CMAKE_CXX_FLAGS_DEBUG})
set(cts_source_consumer_flags -DCMAKE_BUILD_TYPE= -DCTS_USE_CCACHE=ON -DCTS_UNITY_BUILD=ON)

add_test(NAME consumer/install
  COMMAND ${CMAKE_COMMAND} --install ${CMAKE_BINARY_DIR} --prefix ${cts_consumer_prefix})
set_tests_properties(consumer/install PROPERTIES FIXTURES_SETUP cts_installed LABELS consumer)

add_test(NAME consumer/find_package
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/consumer/find_package ${CMAKE_BINARY_DIR}/consumer/find_package
    --build-generator ${CMAKE_GENERATOR}
    --build-options -DCMAKE_PREFIX_PATH=${cts_consumer_prefix} ${cts_consumer_flags}
    --test-command cts-consumer)
set_tests_properties(consumer/find_package PROPERTIES
  FIXTURES_REQUIRED cts_installed LABELS consumer TIMEOUT 600 COST 30
  PASS_REGULAR_EXPRESSION "cts consumer ok: 0.00001 BTC/USDT")

# add_subdirectory: configured from the source tree; cts::sign is compiled, linked and run.
add_test(NAME consumer/add_subdirectory
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/consumer/add_subdirectory ${CMAKE_BINARY_DIR}/consumer/add_subdirectory
    --build-generator ${CMAKE_GENERATOR}
    --build-target cts-consumer
    --build-options -DCTS_SOURCE_DIR=${PROJECT_SOURCE_DIR} -DCTS_CONSUMER_FETCHCONTENT=OFF ${cts_source_consumer_flags}
    --test-command cts-consumer)
set_tests_properties(consumer/add_subdirectory PROPERTIES
  LABELS consumer TIMEOUT 600 COST 30
  PASS_REGULAR_EXPRESSION "cts consumer ok: 0.00001 BTC/USDT")
# FetchContent: FetchContent_MakeAvailable ends in the same add_subdirectory, so the
# same project is configured only (a second compile of the whole library would add
# minutes to every CI run and prove nothing more); configuring checks that the
# targets come out as a non-top-level project and that cts::cts exists.
add_test(NAME consumer/fetchcontent
  COMMAND ${CMAKE_COMMAND}
    -S ${CMAKE_CURRENT_SOURCE_DIR}/consumer/add_subdirectory -B ${CMAKE_BINARY_DIR}/consumer/fetchcontent
    -G ${CMAKE_GENERATOR} -DCTS_SOURCE_DIR=${PROJECT_SOURCE_DIR} -DCTS_CONSUMER_FETCHCONTENT=ON
    ${cts_source_consumer_flags})
set_tests_properties(consumer/fetchcontent PROPERTIES
  LABELS consumer TIMEOUT 300
  PASS_REGULAR_EXPRESSION "cts consumer: cts::cts available")
