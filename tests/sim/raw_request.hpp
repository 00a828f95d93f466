#pragma once
// A venue request with a raw JSON body (POST) or query string (GET), for the front tests
// that send what the request builders refuse to build.
#include <string>
#include <utility>

#include <cts/core/http.hpp>
#include <cts/venue/types.hpp>

namespace cts::test {

inline venue::Request raw_request(HttpMethod method, std::string path, std::string payload) {
  venue::Request r;
  r.http.method = method;
  r.http.path = std::move(path);
  if (method == HttpMethod::post) {
    r.http.body = std::move(payload);
    r.http.set_header("Content-Type", "application/json");
  } else {
    r.http.query = std::move(payload);
  }
  return r;
}

}  // namespace cts::test
