// What MinGW's headers lack for Delivery Optimization's BITS-compatible interfaces (spec §7, D-2).
//
// DO hands out the BITS interfaces under the BITS IIDs (D-2, D-4), so everything but the coclass and
// IDeliveryOptimizationJob comes from <bits*.h> and libbits. The public deliveryoptimization.h no longer
// declares IDeliveryOptimizationJob (D-6), so it is declared here from its documentation page
// (M-34: IUnknown plus one method, AddFileWithRanges).
#pragma once

#include <windows.h>
#include <bits2_0.h>  // BG_FILE_RANGE

namespace bgc::agent {

// CLSID_DeliveryOptimization {5B99FA76-721C-423C-ADAC-56D03C8A8007} (D-2, D-5).
inline constexpr GUID kClsidDeliveryOptimization = {
    0x5b99fa76, 0x721c, 0x423c, {0xad, 0xac, 0x56, 0xd0, 0x3c, 0x8a, 0x80, 0x07}};

// IID_IDeliveryOptimizationJob {EE2584CF-A69C-4848-B633-2649962B3EF7} (D-2).
inline constexpr GUID kIidDeliveryOptimizationJob = {
    0xee2584cf, 0xa69c, 0x4848, {0xb6, 0x33, 0x26, 0x49, 0x96, 0x2b, 0x3e, 0xf7}};

// A DO job's range-download interface (M-34). Slot 3, right after IUnknown.
struct IDeliveryOptimizationJob : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE AddFileWithRanges(LPCWSTR fileId, LPCWSTR remoteUrl, LPCWSTR localName,
                                                      DWORD rangeCount, BG_FILE_RANGE ranges[], UINT64 fileSize) = 0;
};

}  // namespace bgc::agent
