// Replays what the fuzzers (fuzz/, scripts/fuzz.sh) found, through the very entries they call
// (fuzz/fuzz_entries.hpp): every file of tests/data/fuzz_regressions/TARGET/ once crashed or
// escaped as an internal error, and must now be refused with a clean InputError naming the
// file. The seed corpus fuzz/corpus/TARGET/ is replayed too: each seed is accepted or refused
// cleanly. Under the sanitizer build (scripts/test.sh with MAILLAGE_SANITIZE=1) this also
// checks every one of them for memory errors and undefined behaviour.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../../fuzz/fuzz_entries.hpp"

namespace fs = std::filesystem;
using namespace maillage;

namespace {

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The input files of DIR (sorted; dot files and README.md are notes, not inputs).
std::vector<fs::path> inputs(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && name.front() != '.' && name != "README.md") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

enum class Outcome { accepted, refused };

// Runs one input through its target's entry; any escape other than InputError fails the test.
Outcome replay(const std::string& target, const fs::path& file) {
    const auto& entry = fuzz::targets().at(target);
    const std::string bytes = read_bytes(file);
    try {
        entry(bytes);
        return Outcome::accepted;
    } catch (const InputError& e) {
        EXPECT_FALSE(e.where().file.empty()) << file << ": the refusal names no file: " << e.what();
        EXPECT_FALSE(e.message().empty()) << file << ": the refusal says nothing: " << e.what();
        return Outcome::refused;
    } catch (const std::exception& e) {
        ADD_FAILURE() << file << ": escaped as an internal error (not an InputError): " << e.what();
    } catch (...) {
        ADD_FAILURE() << file << ": escaped as a non-standard exception";
    }
    return Outcome::refused;
}

const fs::path kRegressions = fs::path(MAILLAGE_TEST_DATA) / "fuzz_regressions";
const fs::path kCorpus = fs::path(MAILLAGE_SOURCE_DIR) / "fuzz" / "corpus";

}  // namespace

// A directory named after no target would be silently skipped: refuse it.
TEST(FuzzRegressions, EveryDirectoryNamesATarget) {
    for (const fs::path& root : {kRegressions, kCorpus}) {
        if (!fs::is_directory(root)) continue;
        for (const auto& e : fs::directory_iterator(root))
            if (e.is_directory())
                EXPECT_TRUE(fuzz::targets().count(e.path().filename().string())) << e.path() << " names no fuzz target";
    }
    // Every target has seeds (the CI smoke run starts from them).
    for (const auto& [target, entry] : fuzz::targets()) EXPECT_FALSE(inputs(kCorpus / target).empty()) << target;
}

// What the fuzzers found: each is now a clean InputError.
TEST(FuzzRegressions, FoundInputsAreRefusedCleanly) {
    for (const auto& [target, entry] : fuzz::targets())
        for (const auto& file : inputs(kRegressions / target)) {
            SCOPED_TRACE(file.string());
            EXPECT_EQ(replay(target, file), Outcome::refused) << file << ": expected a refusal (InputError)";
        }
}

// The seeds: real project and test files, all accepted but a few deliberately odd ones.
TEST(FuzzRegressions, SeedsAreAcceptedOrRefusedCleanly) {
    std::size_t accepted = 0, total = 0;
    for (const auto& [target, entry] : fuzz::targets())
        for (const auto& file : inputs(kCorpus / target)) {
            SCOPED_TRACE(file.string());
            accepted += replay(target, file) == Outcome::accepted ? 1 : 0;
            ++total;
        }
    EXPECT_GE(total, 12u);
    // Most seeds are valid files: a seed corpus of refusals would fuzz only the error paths.
    EXPECT_GE(accepted * 2, total) << accepted << " of " << total << " seeds accepted";
}
