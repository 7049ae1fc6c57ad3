#pragma once
// A road graph plus what is needed to route between arbitrary points: snapping of
// points onto the nearest edge (not only the nearest node), an access leg, and
// searches towards / from a set of sites. Every source of travel times (OSM, road
// layer, time matrix, estimate) ends up as one of these.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/loaded_graph.hpp"
#include "routing/dijkstra.hpp"
#include "util/diagnostics.hpp"

namespace maillage {

// Where a point joins the network.
struct Attachment {
    EdgeId edge = kNoEdge;        // kNoEdge when attached to a node (nodes_only, or projected onto an edge's end)
    NodeId node = kNoNode;        // the node, when edge == kNoEdge
    double fraction = 0.0;        // position along the edge, 0 = source, 1 = target
    Point2 on_network;            // the projected point
    Metres distance;              // snap distance (point → on_network)
    Seconds access;               // time of the off-network leg
    // Distance to the nearest cut-off road (dropped as disconnected) when it is nearer than
    // the network: the point's own road does not connect, so its time may be optimistic or
    // its snap long. Infinity otherwise.
    Metres cut_off_road = Metres::infinity();
    [[nodiscard]] bool beside_cut_off_road() const { return cut_off_road.is_finite(); }
};

struct Reach {
    Seconds time = Seconds::infinity();
    std::uint32_t label = kNoLabel;  // index of the site reached, kNoLabel if none within the limit
    [[nodiscard]] bool reached() const { return label != kNoLabel; }
};

// The result of a multi-site search, with what is needed to evaluate any attached point.
struct SiteSearch {
    SearchResult nodes;
    std::vector<Attachment> sites;
    bool toward = true;   // true: times from nodes to the sites; false: from the sites to nodes
    Seconds limit = Seconds::infinity();
    std::unordered_multimap<EdgeId, std::uint32_t> sites_on_edge;
};

class TravelNetwork {
public:
    // Builds the reverse graph and the snapping indexes (edges; cut-off roads, never snapped
    // onto, only used to flag points nearer to them than to the network).
    explicit TravelNetwork(LoadedGraph loaded);
    ~TravelNetwork();
    TravelNetwork(TravelNetwork&&) noexcept;
    TravelNetwork& operator=(TravelNetwork&&) noexcept;

    [[nodiscard]] const NetworkInfo& info() const { return info_; }
    [[nodiscard]] const SnapOptions& snap_options() const { return options_; }
    [[nodiscard]] const RoadGraph& graph() const { return graph_; }
    [[nodiscard]] const RoadGraph& reverse_graph() const { return reverse_; }

    // Nearest point of the network; nullopt if the graph is empty.
    [[nodiscard]] std::optional<Attachment> try_attach(Point2 p) const;
    // As try_attach, but farther than max_distance throws InputError naming `what`.
    [[nodiscard]] Attachment attach(Point2 p, const std::string& what) const;

    // Multi-source search: for each node, time to (toward) or from (from) the nearest site.
    [[nodiscard]] SiteSearch toward(std::span<const Attachment> sites, Seconds limit = Seconds::infinity()) const;
    [[nodiscard]] SiteSearch from(std::span<const Attachment> sites, Seconds limit = Seconds::infinity()) const;
    // Time for an attached point: to the nearest site (toward search) or from it (from search),
    // access legs included on both ends.
    [[nodiscard]] Reach evaluate(const SiteSearch& search, const Attachment& point) const;

private:
    [[nodiscard]] SiteSearch search(std::span<const Attachment> sites, Seconds limit, bool toward) const;
    struct Index;
    RoadGraph graph_;
    RoadGraph reverse_;
    NetworkInfo info_;
    SnapOptions options_;
    std::unique_ptr<Index> index_;
};

// "its nearest road (12 m) is cut off from the network …" for an attachment beside a cut-off
// road, to be reported with the point's name; empty otherwise.
std::string cut_off_note(const Attachment& a);

}  // namespace maillage
