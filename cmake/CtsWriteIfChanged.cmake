# cts_write_if_changed(<file> <text>): writes <text> to <file> only when the file's text
# differs, so that a generated source whose content did not change keeps its time stamp
# and recompiles nothing. For the generator scripts run with cmake -P.
function(cts_write_if_changed file text)
  set(old "")
  if(EXISTS ${file})
    file(READ ${file} old)
  endif()
  if(NOT old STREQUAL text)
    file(WRITE ${file} "${text}")
  endif()
endfunction()
