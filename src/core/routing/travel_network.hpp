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
#include "routing/site_id.hpp"
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
    SiteId site;  // the site reached; none if no site within the limit
    [[nodiscard]] bool reached() const { return site.valid(); }
};

// The result of a multi-site search, with what is needed to evaluate any attached point.
// Sites can be added and closed afterwards (add_site / close_site): the result is then
// exactly what a new search over the open sites would give.
struct SiteSearch {
    SearchResult nodes;
    std::vector<Attachment> sites;       // by SiteId, closed ones included
    std::vector<bool> open;              // by SiteId
    bool toward = true;   // true: times from nodes to the sites; false: from the sites to nodes
    Seconds limit = Seconds::infinity();
    std::unordered_multimap<EdgeId, std::uint32_t> sites_on_edge;  // open sites on an edge
    std::unordered_multimap<NodeId, std::uint32_t> sites_at_node;  // open sites at a node
};

// Builds into loaded.routing what routing needs beyond the graph, unless it is already there:
// the reverse graph and the snapping indexes (edges; cut-off roads, never snapped onto,
// only used to flag points nearer to them than to the network).
void prepare_for_routing(LoadedGraph& loaded);

// prepare_for_routing, then a contraction hierarchy into loaded.routing->hierarchy unless
// there is one (routing/contraction_hierarchy; `threads` share its searches, the result is
// the same whatever their number). Every search of a TravelNetwork built from `loaded` then
// runs as a PHAST sweep.
void prepare_hierarchy(LoadedGraph& loaded, unsigned threads);

class TravelNetwork {
public:
    // Takes the graph and its routing parts (prepare_for_routing when missing).
    explicit TravelNetwork(LoadedGraph loaded);
    ~TravelNetwork();
    TravelNetwork(TravelNetwork&&) noexcept;
    TravelNetwork& operator=(TravelNetwork&&) noexcept;

    [[nodiscard]] const NetworkInfo& info() const { return info_; }
    [[nodiscard]] const SnapOptions& snap_options() const { return options_; }
    [[nodiscard]] const RoadGraph& graph() const { return graph_; }
    [[nodiscard]] const RoadGraph& reverse_graph() const { return parts_.reverse; }
    // True when searches run on a contraction hierarchy (PHAST) rather than Dijkstra.
    [[nodiscard]] bool has_hierarchy() const { return !parts_.hierarchy.empty(); }

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

    // Incremental changes of a search (what-if). Only the nodes whose time or site changes
    // are searched again; they are returned, so callers re-evaluate only the points that
    // depend on them (see depends_on). The result equals a new search over the open sites
    // bit for bit: a node's (time, site) is the smallest (whole milliseconds, SiteId) over
    // the sources, whatever the order sources were added in.
    SiteId add_site(SiteSearch& search, const Attachment& site, std::vector<NodeId>& changed) const;
    void close_site(SiteSearch& search, SiteId site, std::vector<NodeId>& changed) const;
    // The nodes and edges whose search state evaluate() reads for `point`.
    struct Dependencies {
        NodeId nodes[2] = {kNoNode, kNoNode};
        EdgeId edges[2] = {kNoEdge, kNoEdge};
    };
    [[nodiscard]] Dependencies depends_on(const SiteSearch& search, const Attachment& point) const;

private:
    [[nodiscard]] SiteSearch search(std::span<const Attachment> sites, Seconds limit, bool toward) const;
    // The search sources of one site (one, or two for a site on a two-way road's edge).
    void site_sources(const Attachment& site, std::uint32_t label, bool toward, std::vector<SearchSource>& out) const;
    void register_site(SiteSearch& search, const Attachment& site, std::uint32_t label) const;
    [[nodiscard]] double cut_off_distance2(std::uint32_t road, Point2 p) const;
    RoadGraph graph_;
    NetworkInfo info_;
    SnapOptions options_;
    RoutingParts parts_;
};

// "its nearest road (12 m) is cut off from the network …" for an attachment beside a cut-off
// road, to be reported with the point's name; empty otherwise.
std::string cut_off_note(const Attachment& a);

}  // namespace maillage
