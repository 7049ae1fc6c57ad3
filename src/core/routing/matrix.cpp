#include "routing/matrix.hpp"

#include <atomic>
#include <map>
#include <thread>

namespace maillage {

TimeMatrix compute_matrix(const TravelNetwork& network, const std::vector<Attachment>& origins,
                          const std::vector<Attachment>& destinations, unsigned threads, Seconds limit) {
    TimeMatrix m;
    m.origins = origins.size();
    m.destinations = destinations.size();
    m.seconds.assign(m.origins * m.destinations, Seconds::infinity());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t o; (o = next.fetch_add(1)) < origins.size();) {
            // From the origin: its outgoing search reaches each destination.
            SiteSearch search = network.from(std::span(&origins[o], 1), limit);
            for (std::size_t d = 0; d < destinations.size(); ++d) {
                Reach r = network.evaluate(search, destinations[d]);
                if (r.reached()) m.seconds[o * m.destinations + d] = r.time;
            }
        }
    };
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, origins.size()))));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    return m;
}

void zero_coincident_pairs(TimeMatrix& m, const std::vector<Point2>& origins, const std::vector<Point2>& destinations) {
    std::map<Point2, std::vector<std::size_t>> at;
    for (std::size_t d = 0; d < destinations.size(); ++d) at[destinations[d]].push_back(d);
    for (std::size_t o = 0; o < origins.size(); ++o) {
        auto it = at.find(origins[o]);
        if (it == at.end()) continue;
        for (std::size_t d : it->second) m.seconds[o * m.destinations + d] = Seconds(0.0);
    }
}

}  // namespace maillage
