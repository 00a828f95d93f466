#include "cts/engine/connection.hpp"

#include <utility>

#include "cts/rate/limiter.hpp"
#include "cts/rate/venue_policies.hpp"

namespace cts::engine {

VenueConnection::~VenueConnection() = default;

Result<std::unique_ptr<VenueConnection>> VenueConnection::open(const venue::Connector& connector,
                                                               ConnectionOptions options) {
  auto connection = std::unique_ptr<VenueConnection>(new VenueConnection(connector));
  try {
    connection->http_ = std::make_unique<net::HttpClient>(options.base_url, options.http);
  } catch (const Exception& e) {
    return e.error();
  }
  connection->limiter_ =
      options.limiter ? std::move(options.limiter) : std::make_shared<rate::Limiter>(rate::policy_for(connector.venue));
  if (!options.credentials.api_key.empty()) {
    Result<std::unique_ptr<sign::Signer>> signer = sign::make_signer(connector.venue, std::move(options.credentials));
    if (!signer) return signer.error();
    connection->signer_ = std::move(*signer);
  }
  connection->channel_ =
      std::make_unique<RestChannel>(*connection->http_, *connection->limiter_, connection->signer_.get(),
                                    connector.read_throttle, connector.read_error);
  options.gateway.signer = connection->signer_.get();
  connection->gateway_ = connector.make_gateway(*connection->channel_, options.gateway);
  return connection;
}

}  // namespace cts::engine
