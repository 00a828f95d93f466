# cts_embed_file(<target> <input> <function>)
#
# Compiles the bytes of <input> (a path relative to the project's source folder) into
# <target> as `std::string_view <function>() noexcept`, where <function> is a qualified
# name such as cts::engine::detail::status_page_html. The source is generated at build
# time by CtsWriteEmbeddedFile.cmake (CMake alone: no xxd), again whenever <input>
# changes, and compiles on its own (outside unity batches), so an edit of the file
# recompiles nothing else.
set(CTS_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/CtsWriteEmbeddedFile.cmake)

function(cts_embed_file target input function)
  string(REPLACE "::" "_" flat ${function})
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded/${flat}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${PROJECT_SOURCE_DIR}/${input} -DOUTPUT=${output} -DFUNCTION=${function}
            -P ${CTS_EMBED_SCRIPT}
    DEPENDS ${PROJECT_SOURCE_DIR}/${input} ${CTS_EMBED_SCRIPT}
    COMMENT "Embedding ${input}"
    VERBATIM)
  set_source_files_properties(${output} PROPERTIES GENERATED ON SKIP_UNITY_BUILD_INCLUSION ON)
  target_sources(${target} PRIVATE ${output})
endfunction()
