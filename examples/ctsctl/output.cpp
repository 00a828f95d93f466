#include "ctsctl/output.hpp"

namespace ctsctl {

void write_best_effort(std::FILE* stream, std::string_view text) noexcept {
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), stream);
  const bool flushed = written == text.size() && std::fflush(stream) == 0;
  // A failed write (EPIPE once the reader is gone, ENOSPC) is dropped. Clearing the
  // error flag keeps each later line an independent attempt.
  if (!flushed) std::clearerr(stream);
}

}  // namespace ctsctl
