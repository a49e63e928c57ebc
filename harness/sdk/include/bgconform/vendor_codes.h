/* The numbers a job service answers with, for implementations of the bgconform vendor ABI
 * (vendor_abi.h includes this header). Plain C.
 *
 * Each code is BGC_ followed by the name Microsoft documents for it (BITS Return Values; Delivery
 * Optimization's DO_E_* codes), with the same number: the prefix keeps them apart from the Windows
 * headers' own definitions where both are included. The states and error contexts are in
 * vendor_abi.h (BGC_STATE_*, BGC_CONTEXT_*). */
#ifndef BGCONFORM_VENDOR_CODES_H
#define BGCONFORM_VENDOR_CODES_H

#include <stdint.h>

/* Every call returns one: >= 0 success, < 0 failure. */
typedef int32_t bgc_hresult;

/* General COM codes. */
#define BGC_S_OK ((bgc_hresult)0x00000000)
#define BGC_S_FALSE ((bgc_hresult)0x00000001)
#define BGC_E_NOTIMPL ((bgc_hresult)0x80004001)
#define BGC_E_NOINTERFACE ((bgc_hresult)0x80004002)
#define BGC_E_ACCESSDENIED ((bgc_hresult)0x80070005)
#define BGC_E_OUTOFMEMORY ((bgc_hresult)0x8007000E)
#define BGC_E_INVALIDARG ((bgc_hresult)0x80070057)
/* HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND): a description asked for in a language the
 * service does not have. */
#define BGC_ERROR_RESOURCE_LANG_NOT_FOUND ((bgc_hresult)0x80070717)

/* BITS (profile bits). */
#define BGC_BG_S_PARTIAL_COMPLETE ((bgc_hresult)0x00200017)
#define BGC_BG_S_UNABLE_TO_DELETE_FILES ((bgc_hresult)0x0020001A)
#define BGC_BG_E_NOT_FOUND ((bgc_hresult)0x80200001)
#define BGC_BG_E_INVALID_STATE ((bgc_hresult)0x80200002)
#define BGC_BG_E_EMPTY ((bgc_hresult)0x80200003)
#define BGC_BG_E_FILE_NOT_AVAILABLE ((bgc_hresult)0x80200004)
#define BGC_BG_E_PROTOCOL_NOT_AVAILABLE ((bgc_hresult)0x80200005)
#define BGC_BG_E_ERROR_INFORMATION_UNAVAILABLE ((bgc_hresult)0x8020000F)
#define BGC_BG_E_NETWORK_DISCONNECTED ((bgc_hresult)0x80200010)
#define BGC_BG_E_NO_PROGRESS ((bgc_hresult)0x80200024)
/* BG_E_HTTP_ERROR_<status>: an HTTP status the server answered, e.g. BGC_BG_E_HTTP_ERROR(404). */
#define BGC_BG_E_HTTP_ERROR(status) ((bgc_hresult)(0x80190000u + (uint32_t)(status)))

/* Delivery Optimization (profile do), where it has codes of its own. */
#define BGC_DO_E_DOWNLOAD_NO_PROGRESS ((bgc_hresult)0x80D02002)
#define BGC_DO_E_JOB_NOT_FOUND ((bgc_hresult)0x80D02003)
#define BGC_DO_E_JOB_EMPTY ((bgc_hresult)0x80D02004)
#define BGC_DO_E_FILE_NOT_AVAILABLE ((bgc_hresult)0x80D02010)
#define BGC_DO_E_INVALID_STATE ((bgc_hresult)0x80D02013)
#define BGC_DO_E_ERROR_INFORMATION_UNAVAILABLE ((bgc_hresult)0x80D02014)
#define BGC_DO_E_BLOCKED_BY_NO_NETWORK ((bgc_hresult)0x80D03805)

#endif /* BGCONFORM_VENDOR_CODES_H */
