// Tests of scripts/fetch-geodata.sh (the data cache) and of its manifest geodata/sources.csv.
// The script runs on small files made here, in a temporary directory, through its
// GEODATA_MIRROR / GEODATA_CACHE / GEODATA_MANIFEST variables; the real manifest is checked
// against the real reference data when ../shared/geodata is present.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir{MAILLAGE_SOURCE_DIR};
const fs::path kScript = kSourceDir / "scripts" / "fetch-geodata.sh";
const fs::path kManifest = kSourceDir / "geodata" / "sources.csv";
const std::string kHeader = "path,dataset,publisher,licence,vintage,kind,url,sha256,notes";
// The file the script builds from the pinned npm package, and the layer it derives from.
const std::string kNeighbourPopulation =
    "vienne/population/communes_86_and_neighbours_in_buffer20km_cog2026_population.csv";
const std::string kNeighbourLayer = "vienne/boundaries/communes_86_and_neighbours_in_buffer20km_cog2018.geojson";
const std::string kPackageUrl =
    "https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz";

// sha256 of "hello\n" and of "abc" (well-known values).
const std::string kHelloSha = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
const std::string kAbcSha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_all(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::vector<std::string> split_commas(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line + ",");
    while (std::getline(in, field, ',')) out.push_back(field);
    return out;
}

std::string row(const std::string& path, const std::string& kind, const std::string& url,
                const std::string& sha) {
    return path + ",test dataset,test publisher,Licence Ouverte,2024," + kind + "," + url + "," + sha +
           ",made by the test\n";
}

struct RunResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

class FetchGeodataScript : public ::testing::Test {
protected:
    void SetUp() override {
        static int counter = 0;
        root_ = fs::temp_directory_path() /
                ("maillage-fetch-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(root_);
        fs::create_directories(root_);
        mirror_ = root_ / "mirror";
        cache_ = root_ / "cache";
        manifest_ = root_ / "sources.csv";
        fs::create_directories(mirror_);
    }
    void TearDown() override { fs::remove_all(root_); }

    void write_manifest(const std::string& rows) { write_all(manifest_, kHeader + "\n" + rows); }

    // `env_prefix`: more VAR=value words for env (PATH with a fake npm...).
    RunResult run(const std::string& args, bool with_mirror = true, const std::string& env_prefix = "") const {
        const fs::path log = root_ / "output.log";
        std::string cmd = "env " + env_prefix + " GEODATA_CACHE=" + quoted(cache_.string()) +
                          " GEODATA_MANIFEST=" + quoted(manifest_.string());
        cmd += with_mirror ? " GEODATA_MIRROR=" + quoted(mirror_.string()) : " -u GEODATA_MIRROR";
        cmd += " bash " + quoted(kScript.string()) + " " + args + " </dev/null >" + quoted(log.string()) +
               " 2>&1";
        const int status = std::system(cmd.c_str());
        RunResult r;
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.output = read_all(log);
        return r;
    }

    bool has_temporaries() const {
        if (!fs::exists(cache_)) return false;
        for (const auto& e : fs::recursive_directory_iterator(cache_)) {
            if (e.path().extension() == ".tmp") return true;
        }
        return false;
    }

    fs::path root_, mirror_, cache_, manifest_;
};

TEST_F(FetchGeodataScript, CopiesFromTheMirrorVerifiesAndKeepsGoodCopies) {
    write_all(mirror_ / "vienne" / "a.txt", "hello\n");
    write_manifest(row("vienne/a.txt", "derived", "https://example.org/a.txt", kHelloSha));

    RunResult first = run("");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    EXPECT_EQ(read_all(cache_ / "vienne" / "a.txt"), "hello\n");
    EXPECT_FALSE(has_temporaries());

    RunResult second = run("");
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_NE(second.output.find("cached   vienne/a.txt"), std::string::npos) << second.output;

    RunResult check = run("--check");
    EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(FetchGeodataScript, WrongHashFailsNamingTheFileAndRemovesTheBadCopy) {
    write_all(mirror_ / "vienne" / "a.txt", "hello, altered\n");
    write_all(mirror_ / "vienne" / "b.txt", "hello\n");
    write_manifest(row("vienne/a.txt", "download", "https://example.org/a.txt", kHelloSha) +
                   row("vienne/b.txt", "download", "https://example.org/b.txt", kHelloSha));

    RunResult r = run("");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("vienne/a.txt: sha256 mismatch"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(cache_ / "vienne" / "a.txt"));
    EXPECT_FALSE(has_temporaries());
    // The other file is still fetched.
    EXPECT_EQ(read_all(cache_ / "vienne" / "b.txt"), "hello\n");
}

TEST_F(FetchGeodataScript, CheckModeNamesMissingAndAlteredFilesAndChangesNothing) {
    write_all(mirror_ / "a.txt", "hello\n");
    write_manifest(row("a.txt", "download", "https://example.org/a.txt", kHelloSha));

    RunResult missing = run("--check");
    EXPECT_EQ(missing.exit_code, 1) << missing.output;
    EXPECT_NE(missing.output.find("a.txt: missing"), std::string::npos) << missing.output;
    EXPECT_FALSE(fs::exists(cache_ / "a.txt"));

    ASSERT_EQ(run("").exit_code, 0);
    write_all(cache_ / "a.txt", "tampered\n");
    RunResult altered = run("--check");
    EXPECT_EQ(altered.exit_code, 1) << altered.output;
    EXPECT_NE(altered.output.find("a.txt: sha256 mismatch in the cache"), std::string::npos) << altered.output;
    EXPECT_EQ(read_all(cache_ / "a.txt"), "tampered\n");

    // A normal run replaces the altered copy.
    ASSERT_EQ(run("").exit_code, 0);
    EXPECT_EQ(read_all(cache_ / "a.txt"), "hello\n");
}

TEST_F(FetchGeodataScript, DownloadsFromTheOfficialAddressWithoutAMirror) {
    if (std::system("command -v curl >/dev/null 2>&1") != 0) GTEST_SKIP() << "curl is not installed";
    const fs::path published = root_ / "publisher" / "abc.bin";
    write_all(published, "abc");
    write_manifest(row("osm/abc.bin", "download", "file://" + published.string(), kAbcSha));

    RunResult r = run("--download");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(read_all(cache_ / "osm" / "abc.bin"), "abc");
    EXPECT_FALSE(has_temporaries());
}

TEST_F(FetchGeodataScript, DerivedFilesCannotBeDownloaded) {
    write_manifest(row("vienne/derived.csv", "derived", "https://example.org/national.zip", kAbcSha));

    RunResult r = run("--download");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("vienne/derived.csv: is a derived file"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("https://example.org/national.zip"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(cache_ / "vienne" / "derived.csv"));
}

TEST_F(FetchGeodataScript, MalformedManifestIsAUsageErrorNamingTheLine) {
    write_manifest("a.txt,only,three\n");
    RunResult r = run("");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("line 2: 3 fields, expected 9"), std::string::npos) << r.output;

    write_manifest(row("../escape.txt", "download", "https://example.org/a", kAbcSha));
    r = run("");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("field 'path'"), std::string::npos) << r.output;
}

TEST_F(FetchGeodataScript, AMissingExplicitMirrorIsAUsageError) {
    write_manifest(row("a.txt", "download", "https://example.org/a.txt", kHelloSha));
    fs::remove_all(mirror_);
    RunResult r = run("");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("GEODATA_MIRROR"), std::string::npos) << r.output;
}

// `built` rows: the neighbouring population table, built from @etalab/decoupage-administratif.
class FetchGeodataBuiltFile : public FetchGeodataScript {
protected:
    // A fake npm first on the PATH: `npm pack` exits with `status` after writing `tarball`
    // (when not empty) as the package's tarball into --pack-destination.
    std::string fake_npm(int status, const std::string& tarball) const {
        const fs::path bin = root_ / "bin";
        write_all(bin / "tarball", tarball);
        write_all(bin / "npm",
                  "#!/bin/sh\n"
                  "while [ $# -gt 0 ]; do\n"
                  "  if [ \"$1\" = --pack-destination ]; then dest=\"$2\"; fi\n"
                  "  shift\n"
                  "done\n" +
                      (tarball.empty() ? std::string()
                                       : "cp '" + (bin / "tarball").string() +
                                             "' \"$dest/etalab-decoupage-administratif-6.0.0.tgz\"\n") +
                      (status ? "echo 'npm error code ENOTCACHED' >&2\n" : "") + "exit " + std::to_string(status) +
                      "\n");
        fs::permissions(bin / "npm", fs::perms::owner_all);
        return "PATH=" + quoted(bin.string() + ":" + std::getenv("PATH"));
    }
    // A tiny layer (any bytes: the recipe only reads it once npm gave the package) and the row
    // of the table to build.
    void write_rows(const std::string& built_sha) {
        write_all(mirror_ / kNeighbourLayer, "hello\n");
        write_manifest(row(kNeighbourLayer, "derived", "https://example.org/layer.geojson", kHelloSha) +
                       row(kNeighbourPopulation, "built", kPackageUrl, built_sha));
    }
    bool leftovers() const {
        if (!fs::exists(cache_)) return false;
        for (const auto& e : fs::recursive_directory_iterator(cache_))
            if (e.path().extension() == ".tmp" || e.path().filename().string().starts_with(".build.")) return true;
        return false;
    }
};

TEST_F(FetchGeodataBuiltFile, IsOptionalWhenNpmCannotFetchThePackage) {
    write_rows(kAbcSha);
    RunResult r = run("", true, fake_npm(1, ""));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(kNeighbourPopulation + ": not built: npm could not fetch @etalab/decoupage-administratif@6.0.0"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("ENOTCACHED"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("the edge effect is not corrected"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("optional, not built: " + kNeighbourPopulation), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(cache_ / kNeighbourPopulation));
    EXPECT_EQ(read_all(cache_ / kNeighbourLayer), "hello\n");
    EXPECT_FALSE(leftovers());

    RunResult check = run("--check");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_NE(check.output.find(kNeighbourPopulation + ": not built yet (optional"), std::string::npos) << check.output;
}

TEST_F(FetchGeodataBuiltFile, APackageThatIsNotThePinnedOneIsAnError) {
    write_rows(kAbcSha);
    RunResult r = run("", true, fake_npm(0, "not the package"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(kNeighbourPopulation + ": could not be built: @etalab/decoupage-administratif@6.0.0: "
                                                   "tarball sha256"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("expected c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"), std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(cache_ / kNeighbourPopulation));
    EXPECT_FALSE(leftovers());
}

TEST_F(FetchGeodataBuiltFile, ARowWithoutARecipeOrWithoutItsInputIsAnError) {
    write_manifest(row("vienne/other.csv", "built", kPackageUrl, kAbcSha));
    RunResult r = run("");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("vienne/other.csv: could not be built: scripts/fetch-geodata.sh has no recipe"),
              std::string::npos)
        << r.output;

    write_manifest(row(kNeighbourPopulation, "built", kPackageUrl, kAbcSha));  // the layer is not listed
    r = run("");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("its input " + kNeighbourLayer + " is not listed"), std::string::npos) << r.output;
}

TEST_F(FetchGeodataBuiltFile, ACopyInTheMirrorIsUsedWithoutNpm) {
    write_rows(kHelloSha);
    write_all(mirror_ / kNeighbourPopulation, "hello\n");
    RunResult r = run("", true, fake_npm(1, ""));  // npm failing: only the mirror can give it
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(read_all(cache_ / kNeighbourPopulation), "hello\n");
}

// The real recipe on the real layer with the real package (npm's cache, else the registry): the
// result has the manifest's sha256, and a second run keeps it.
TEST_F(FetchGeodataBuiltFile, BuildsTheTableOfTheManifestFromThePinnedPackage) {
    if (std::system("command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "npm or node is not installed";
    const fs::path layer = kSourceDir / "geodata" / "cache" / kNeighbourLayer;
    if (!fs::exists(layer)) GTEST_SKIP() << "no data cache: " << layer;
    std::map<std::string, std::string> sha;
    std::ifstream in(kManifest);
    for (std::string line; std::getline(in, line);) {
        const auto f = split_commas(line);
        if (f.size() == 9) sha[f[0]] = f[7];
    }
    write_all(mirror_ / kNeighbourLayer, read_all(layer));
    write_manifest(row(kNeighbourLayer, "derived", "https://example.org/layer.geojson", sha.at(kNeighbourLayer)) +
                   row(kNeighbourPopulation, "built", kPackageUrl, sha.at(kNeighbourPopulation)));
    RunResult r = run("");
    if (r.output.find("npm could not fetch") != std::string::npos)
        GTEST_SKIP() << "the npm registry cannot be reached and npm's cache lacks the package: " << r.output;
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("ok       " + kNeighbourPopulation + " (npm package @etalab/decoupage-administratif@6.0.0"),
              std::string::npos)
        << r.output;
    const std::string table = read_all(cache_ / kNeighbourPopulation);
    EXPECT_EQ(table.rfind("code_insee,nom,departement,population,anciens_codes\n", 0), 0u);
    EXPECT_NE(table.find("\n86194,Poitiers,86,89916,\n"), std::string::npos);
    EXPECT_FALSE(leftovers());
    RunResult again = run("");
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("cached   " + kNeighbourPopulation), std::string::npos) << again.output;
}

// The committed manifest: well formed, and in step with the reference data's SHA256SUMS.
TEST(SourcesManifest, IsWellFormedAndMatchesTheReferenceData) {
    std::ifstream in(kManifest);
    ASSERT_TRUE(in) << kManifest;
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, kHeader);

    const std::regex sha_re("^[0-9a-f]{64}$");
    std::map<std::string, std::string> sha_by_path;
    int line_no = 1;
    int derived = 0;
    std::set<std::string> built;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty()) continue;
        const auto f = split_commas(line);
        ASSERT_EQ(f.size(), 9u) << "sources.csv line " << line_no;
        EXPECT_FALSE(f[0].empty() || f[0].front() == '/' || f[0].find("..") != std::string::npos)
            << "line " << line_no;
        for (int i : {1, 2, 3, 4, 8}) EXPECT_FALSE(f[i].empty()) << "line " << line_no << " field " << i;
        EXPECT_TRUE(f[5] == "download" || f[5] == "derived" || f[5] == "built") << "line " << line_no;
        EXPECT_EQ(f[6].rfind("https://", 0), 0u) << "line " << line_no;
        EXPECT_TRUE(std::regex_match(f[7], sha_re)) << "line " << line_no;
        EXPECT_TRUE(sha_by_path.emplace(f[0], f[7]).second) << "duplicate path " << f[0];
        if (f[5] == "derived") ++derived;
        if (f[5] == "built") built.insert(f[0]);
    }
    EXPECT_EQ(sha_by_path.size(), 22u);
    EXPECT_GT(derived, 0);
    EXPECT_EQ(built, std::set<std::string>{kNeighbourPopulation});
    EXPECT_EQ(sha_by_path.count("vienne/boundaries/communes-86-vienne_cog2026.geojson"), 1u);

    const fs::path sums = kSourceDir / ".." / "shared" / "geodata" / "SHA256SUMS";
    if (!fs::exists(sums)) GTEST_SKIP() << "no reference data beside the repository: " << sums;
    std::ifstream s(sums);
    std::map<std::string, std::string> reference;
    std::string sha, path;
    while (s >> sha >> path) {
        if (path.rfind("./", 0) == 0) path = path.substr(2);
        reference[path] = sha;
    }
    // A built file (by the script, from a pinned npm package) may be in the mirror or not.
    for (const auto& p : built)
        if (!reference.count(p)) sha_by_path.erase(p);
    EXPECT_EQ(sha_by_path, reference);
}

}  // namespace
