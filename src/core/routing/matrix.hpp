#pragma once
// Origins × destinations travel times: one bounded search per origin, spread over
// threads. Each origin's row is computed independently into its own slot, so the result
// is the same whatever the number of threads.
#include <vector>

#include "routing/travel_network.hpp"

namespace maillage {

struct TimeMatrix {
    std::size_t origins = 0, destinations = 0;
    std::vector<Seconds> seconds;  // row-major; infinity where unreachable within the limit
    [[nodiscard]] Seconds at(std::size_t o, std::size_t d) const { return seconds[o * destinations + d]; }
};

TimeMatrix compute_matrix(const TravelNetwork& network, const std::vector<Attachment>& origins,
                          const std::vector<Attachment>& destinations, unsigned threads,
                          Seconds limit = Seconds::infinity());

// A point at the very place of another needs no travel. The network would route it out along
// its access leg and back (twice the leg: many minutes for a point snapped far from an
// estimated or matrix network); such pairs get 0. Positions parallel to the attachments.
void zero_coincident_pairs(TimeMatrix& matrix, const std::vector<Point2>& origins, const std::vector<Point2>& destinations);

}  // namespace maillage
