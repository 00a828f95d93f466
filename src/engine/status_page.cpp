#include "status_page.hpp"

#include <string>

namespace cts::engine::detail {

HttpResponse status_page_response() {
  HttpResponse response;
  response.status = 200;
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Content-Security-Policy", kStatusPagePolicy);
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Referrer-Policy", "no-referrer");
  response.body = std::string(status_page_html());
  return response;
}

}  // namespace cts::engine::detail
