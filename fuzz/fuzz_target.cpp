// One libFuzzer target per entry of fuzz_entries.hpp: fuzz/CMakeLists.txt compiles this file
// once per target with MAILLAGE_FUZZ_ENTRY set to the entry's name.
#include "fuzz_entries.hpp"

#ifndef MAILLAGE_FUZZ_ENTRY
#error "MAILLAGE_FUZZ_ENTRY must name an entry of fuzz_entries.hpp"
#endif

#define MAILLAGE_FUZZ_STRING2(x) #x
#define MAILLAGE_FUZZ_STRING(x) MAILLAGE_FUZZ_STRING2(x)

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (std::string_view(MAILLAGE_FUZZ_STRING(MAILLAGE_FUZZ_ENTRY)) == "communes") maillage::fuzz::keep_only_gdal_driver("GeoJSON");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return maillage::fuzz::run_one(&maillage::fuzz::MAILLAGE_FUZZ_ENTRY, data, size);
}
