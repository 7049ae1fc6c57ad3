#pragma once
// Three square communes in a row on the estimated network with round parameters
// (centres 2 km apart at 60 km/h: exactly 2 minutes), and one site at the centre of A.
#include <optional>

#include "network/network_spec.hpp"
#include "support/square_communes.hpp"
#include "territory/territory_loader.hpp"

namespace maillage::testing {

struct World {
    std::filesystem::path dir = fresh_dir("estimated_world");
    Territory territory;
    Provenance provenance;
    std::optional<TravelNetwork> network;
    ServiceSite site;

    World() {
        write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
        TerritorySources s;
        s.communes = dir / "communes.geojson";
        territory = load_territory(s);
        NetworkOptions o;
        o.territory = &territory;
        network.emplace(open_network(
            NetworkSpec::parse(std::string("estimated:") + MAILLAGE_TEST_DATA + "/coverage/round_parameters.json"), o,
            provenance));
        site.id = "S1";
        site.name = "Site in A";
        site.category = "france_services";
        site.position = territory.communes[0].representative;  // centre of A
    }
};

}  // namespace maillage::testing
