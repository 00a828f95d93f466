# cts_source_batches(<out_var> <name> <sources>...)
#
# Groups sources whose file-local code sits in anonymous namespaces (the test files of a
# suite, ctsctl's command files) into batches of CTS_BATCH_SIZE (64) files, each compiled
# as one translation unit: their headers (the standard library, fmt, simdjson, doctest,
# cts) are parsed and their inline functions generated once per batch instead of once per
# file, which roughly halves the compile time. A batch file includes every header its
# members include, then each member inside a namespace of its own, so the members'
# file-local helpers and using-directives never meet. __FILE__ still names the member,
# so doctest's --source-file filter and its reports are unchanged. A member must not
# define names of an enclosing namespace (`namespace cts { ... }`): they would land in
# the member's namespace.
#
# A file that must stay at global scope (it replaces operator new, say) carries the
# comment `cts-batch: standalone` and is compiled alone. Batches are generated at
# build time from the members' current text, so a new #include needs no reconfigure.
# Sets <out_var> to the sources to compile. Batching follows CTS_UNITY_BUILD (defined in
# CtsComponents.cmake); CTS_BATCH_SIZE sets the batch size: 64 keeps the venue suite's
# 54 files in one batch (69.8 CPU-s under ASan+UBSan against 49.3 + 38.1 as 32 + 22)
# and every suite in one, so a suite's next file does not start a batch of its own.
set(CTS_BATCH_SIZE 64 CACHE STRING "source files per compiled batch")
set(CTS_BATCH_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/CtsWriteSourceBatch.cmake)

function(cts_source_batches out_var name)
  set(sources ${ARGN})
  if(NOT CTS_UNITY_BUILD OR CTS_BATCH_SIZE LESS_EQUAL 1)
    set(${out_var} ${sources} PARENT_SCOPE)
    return()
  endif()
  set(result)
  set(batch)
  set(index 0)
  list(LENGTH sources count)
  foreach(source IN LISTS sources)
    file(STRINGS ${source} standalone REGEX "cts-batch: standalone" LIMIT_COUNT 1)
    if(standalone)
      list(APPEND result ${source})
    else()
      list(APPEND batch ${source})
    endif()
    list(LENGTH batch batch_count)
    math(EXPR index "${index} + 1")
    if(batch_count EQUAL CTS_BATCH_SIZE OR (index EQUAL count AND batch_count GREATER 0))
      list(LENGTH result part)
      set(output ${CMAKE_CURRENT_BINARY_DIR}/batches/${name}_${part}_${index}.cpp)
      string(REPLACE ";" "|" members "${batch}")
      add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} "-DMEMBERS=${members}" -P ${CTS_BATCH_SCRIPT}
        DEPENDS ${batch} ${CTS_BATCH_SCRIPT}
        COMMENT "Writing source batch ${name}_${part}_${index}"
        VERBATIM)
      list(APPEND result ${output})
      set(batch)
    endif()
  endforeach()
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()
