#include "network/osm_way_pass.hpp"

#include <algorithm>

#include "util/input_file.hpp"

namespace maillage::osm_pass {

std::uintmax_t extract_size(const std::filesystem::path& file) {
    try {
        return regular_file_size(file);
    } catch (const InputError& e) {
        // "not a regular file (a directory)": say what was expected there.
        if (e.expected().empty()) throw;
        throw InputError(e.where(), e.message(), "an OpenStreetMap extract (.osm.pbf, .osm)");
    }
}

void throw_read_error(const std::string& name, const std::exception& e) {
    throw InputError({name, "", ""}, std::string("cannot read OpenStreetMap data: ") + e.what(),
                     "a complete .osm.pbf (or .osm) file");
}

std::vector<OsmId> needed_nodes(const std::vector<OsmId>& refs) {
    std::vector<OsmId> needed;
    needed.reserve(refs.size());
    for (OsmId id : refs)
        if (id >= 0) needed.push_back(id);
    std::sort(needed.begin(), needed.end());
    needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
    return needed;
}

}  // namespace maillage::osm_pass
