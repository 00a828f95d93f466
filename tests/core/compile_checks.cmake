# cmake -DCXX=<compiler> -DINCLUDE=<cts include dir> -DFMT_INCLUDE=<dirs> -DFMT_LIB=<file>
#       -DIMPLICIT=<the compiler's own include dirs> -DSOURCES=<tests/core/compile>
#       -DWORK=<scratch dir> -P compile_checks.cmake
#
# core_alone.cpp must compile and link against fmt alone (no simdjson, nothing else)
# and print the product it computes; bad_literal.cpp must fail to compile, on the
# Decimal literal.
cmake_minimum_required(VERSION 3.25)
set(include_flags -I${INCLUDE})
foreach(dir IN LISTS FMT_INCLUDE)
  if(NOT dir IN_LIST IMPLICIT)  # naming /usr/include again would break #include_next
    list(APPEND include_flags -isystem ${dir})
  endif()
endforeach()

execute_process(
  COMMAND ${CXX} -std=c++20 ${include_flags} ${SOURCES}/core_alone.cpp ${FMT_LIB} -o ${WORK}/core_alone
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "<cts/core.hpp> with fmt alone does not build:\n${out}")
endif()
execute_process(COMMAND ${WORK}/core_alone RESULT_VARIABLE code OUTPUT_VARIABLE out)
# 64231.57 × 0.0015 = 96.347355 exactly.
if(NOT code EQUAL 0 OR NOT out STREQUAL "96.347355\n")
  message(FATAL_ERROR "core_alone printed \"${out}\" (exit ${code}), expected 96.347355")
endif()

execute_process(
  COMMAND ${CXX} -std=c++20 ${include_flags} -fsyntax-only ${SOURCES}/bad_literal.cpp
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(code EQUAL 0)
  message(FATAL_ERROR "a malformed Decimal literal (\"1.2.3\"_d) compiled")
endif()
if(NOT out MATCHES "invalid_decimal_literal")
  message(FATAL_ERROR "bad_literal.cpp failed to compile, but not on the literal:\n${out}")
endif()
message("core alone: ok; malformed literal: refused at compile time")
