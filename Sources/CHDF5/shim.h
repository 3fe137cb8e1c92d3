// Swift cannot import HDF5's function-like macros (H5T_NATIVE_*, H5F_ACC_*, H5P_* class ids
// expand to `(H5OPEN H5T_NATIVE_DOUBLE_g)` and similar), so this header re-exports them as
// tiny inline functions. Add an accessor here when a reader or writer needs another one.
#ifndef XTALREPORT_CHDF5_SHIM_H
#define XTALREPORT_CHDF5_SHIM_H

#include <hdf5.h>
#include <hdf5_hl.h>

static inline unsigned xr_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned xr_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned xr_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }

static inline hid_t xr_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t xr_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t xr_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t xr_H5P_DEFAULT(void) { return H5P_DEFAULT; }

static inline hid_t xr_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t xr_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t xr_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t xr_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t xr_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t xr_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t xr_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t xr_H5T_VARIABLE(void) { return H5T_VARIABLE; }

#endif
