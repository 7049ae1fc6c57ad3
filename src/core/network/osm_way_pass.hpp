#pragma once
// What load_osm and estimate_osm_memory share, so the estimate counts exactly what the build
// will hold and the two cannot drift apart: the check of the extract file, the reading of one
// pass with libosmium's errors as InputError, and the ways-only first pass — one handler that
// decides which ways are kept (the profile's evaluate_way) and counts them and their references.
// Internal to network/ (osm_loader.cpp, osm_memory_estimate.cpp).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include "network/osm_memory_estimate.hpp"
#include "network/osm_way_rules.hpp"
#include "network/profile.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage::osm_pass {

using OsmId = osmium::object_id_type;

// The extract's size in bytes; InputError naming it unless it is a regular file
// (util/input_file: not found, a directory, a pipe, a symbolic-link loop...).
std::uintmax_t extract_size(const std::filesystem::path& file);

// libosmium's exception while reading `name`, as an InputError naming the file.
[[noreturn]] void throw_read_error(const std::string& name, const std::exception& e);

// Reads `name` with `handler`, for the entity types `bits`, advancing `progress` if given.
template <class Handler>
void read_pass(const std::string& name, osmium::osm_entity_bits::type bits, Handler& handler,
               Progress* progress = nullptr) {
    try {
        osmium::io::Reader reader(name, bits);
        std::size_t shown = 0;
        while (osmium::memory::Buffer buffer = reader.read()) {
            osmium::apply(buffer, handler);
            if (progress) progress->advance(reader.offset() - shown);
            shown = reader.offset();
        }
        reader.close();
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw_read_error(name, e);
    }
}

// Pass 1 (ways only): every way is counted; the ways the profile keeps are counted with
// their node references (as listed, repeats included) and handed to `keep(way, rule)`.
template <class Keep>
struct RoutableWays : osmium::handler::Handler {
    const Profile& profile;
    Keep keep;
    std::uint64_t ways_read = 0, routable_ways = 0, references = 0;

    RoutableWays(const Profile& p, Keep k) : profile(p), keep(std::move(k)) {}
    void way(const osmium::Way& w) {
        ++ways_read;
        const auto rule = evaluate_way(w.tags(), profile);
        if (!rule) return;
        ++routable_ways;
        references += w.nodes().size();
        keep(w, *rule);
    }
};

// The nodes a graph can need: the sorted distinct ids among `refs`, leaving out negative ids
// (never given a location, as the one-pass loader's index did).
std::vector<OsmId> needed_nodes(const std::vector<OsmId>& refs);

// What pass 1 tells the memory estimate.
template <class Keep>
OsmWayCounts way_counts(std::uint64_t file_bytes, const RoutableWays<Keep>& pass, std::size_t distinct_nodes) {
    return {file_bytes, pass.ways_read, pass.routable_ways, pass.references, distinct_nodes};
}

}  // namespace maillage::osm_pass
