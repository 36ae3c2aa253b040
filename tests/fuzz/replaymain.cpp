// SPDX-License-Identifier: GPL-3.0-or-later
// Replays saved inputs through one fuzz target without libFuzzer, so every
// build (gcc too) runs the seed corpus and each crash's fixture:
//   fuzzreplay_X CORPUS-DIR [CRASHES-DIR]
// A crash or a failed check aborts with its message; an empty corpus fails,
// so a wrong path cannot pass.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace fs = std::filesystem;

namespace {
std::vector<fs::path> inputsIn(const fs::path &folder)
{
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto &entry : fs::directory_iterator(folder, error))
        if (entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

void replay(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    // A fresh copy of exactly the file's size, as libFuzzer passes it, so a
    // read past the end is one past a heap block (ASan sees it).
    const std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
    std::fprintf(stderr, "%s (%zu bytes)\n", file.c_str(), input.size());
    LLVMFuzzerTestOneInput(input.data(), input.size());
}
} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS-DIR [CRASHES-DIR...]\n", argv[0]);
        return 2;
    }
    const std::vector<fs::path> corpus = inputsIn(argv[1]);
    if (corpus.empty()) {
        std::fprintf(stderr, "no inputs in the corpus %s: wrong path, or the corpus is gone\n",
                     argv[1]);
        return 1;
    }
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        for (const fs::path &file : inputsIn(argv[i])) {
            replay(file);
            ++count;
        }
    }
    std::printf("replayed %zu inputs without a crash\n", count);
    return 0;
}
