// Loads the shared object built from models/ and runs the model inside it: proves the libraries are
// position-independent and self-contained (no test framework, nothing left undefined).
#include <dlfcn.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  auto probe = reinterpret_cast<int (*)()>(dlsym(lib, "bgc_models_probe"));
  if (probe == nullptr) {
    std::fprintf(stderr, "bgc_models_probe missing\n");
    return 1;
  }
  const int result = probe();
  std::printf("bgc_models_probe() = %d\n", result);
  return result;
}
