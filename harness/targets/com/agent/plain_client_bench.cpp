// bgconform-com-bench.exe: the baseline for the agent's overhead. A plain COM client
// that creates one BITS job and calls IBackgroundCopyJob::GetState in a loop, timing the loop itself;
// the benchmark compares it with the same calls made by bgconform through the agent's line protocol.
// Usage: bgconform-com-bench.exe CALLS   prints "ns_per_call N" (or "error ..." and exits 2).
#include <windows.h>
#include <bits.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const long calls = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1000;
  if (calls <= 0) {
    std::printf("error usage: bgconform-com-bench.exe CALLS\n");
    return 2;
  }
  if (FAILED(CoInitializeEx(nullptr, COINIT_MULTITHREADED))) {
    std::printf("error CoInitializeEx failed\n");
    return 2;
  }
  IBackgroundCopyManager* manager = nullptr;
  HRESULT h = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER, IID_IBackgroundCopyManager,
                               reinterpret_cast<void**>(&manager));
  if (FAILED(h)) {
    std::printf("error CoCreateInstance(CLSID_BackgroundCopyManager) failed: 0x%08lX\n", static_cast<unsigned long>(h));
    return 2;
  }
  GUID id;
  IBackgroundCopyJob* job = nullptr;
  h = manager->CreateJob(L"bgconform plain client bench", BG_JOB_TYPE_DOWNLOAD, &id, &job);
  if (FAILED(h)) {
    std::printf("error CreateJob failed: 0x%08lX\n", static_cast<unsigned long>(h));
    manager->Release();
    return 2;
  }
  BG_JOB_STATE state;
  job->GetState(&state);  // the first call sets up the proxy: not part of the loop
  LARGE_INTEGER frequency, start, end;
  QueryPerformanceFrequency(&frequency);
  QueryPerformanceCounter(&start);
  for (long i = 0; i < calls; ++i) job->GetState(&state);
  QueryPerformanceCounter(&end);
  const double ns = static_cast<double>(end.QuadPart - start.QuadPart) * 1e9 / static_cast<double>(frequency.QuadPart);
  std::printf("ns_per_call %.0f\n", ns / static_cast<double>(calls));
  job->Cancel();
  job->Release();
  manager->Release();
  CoUninitialize();
  return 0;
}
