# Consumer tests: a tiny project finds an installed cts with find_package(cts), and
# another pulls the source tree in with add_subdirectory. Both link cts::cts and run.
set(cts_consumer_prefix ${CMAKE_BINARY_DIR}/consumer/prefix)
set(cts_consumer_flags
  -DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS}
  -DCMAKE_EXE_LINKER_FLAGS=${CMAKE_EXE_LINKER_FLAGS}
  -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE})

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
  FIXTURES_REQUIRED cts_installed LABELS consumer TIMEOUT 600
  PASS_REGULAR_EXPRESSION "cts consumer ok: 0.00001 BTC/USDT")

add_test(NAME consumer/add_subdirectory
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/consumer/add_subdirectory ${CMAKE_BINARY_DIR}/consumer/add_subdirectory
    --build-generator ${CMAKE_GENERATOR}
    --build-options -DCTS_SOURCE_DIR=${PROJECT_SOURCE_DIR} ${cts_consumer_flags}
    --test-command cts-consumer)
set_tests_properties(consumer/add_subdirectory PROPERTIES
  LABELS consumer TIMEOUT 900
  PASS_REGULAR_EXPRESSION "cts consumer ok: 0.00001 BTC/USDT")
