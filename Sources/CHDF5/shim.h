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
static inline hid_t xr_H5E_DEFAULT(void) { return H5E_DEFAULT; }

static inline hid_t xr_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t xr_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t xr_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t xr_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t xr_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t xr_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t xr_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t xr_H5T_STD_I8LE(void) { return H5T_STD_I8LE; }
static inline hid_t xr_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t xr_H5T_VARIABLE(void) { return H5T_VARIABLE; }

// Link and object queries whose names and structs change in libhdf5 1.12 (H5Lget_info2,
// H5Oget_info_by_name3): Swift calls these and builds against 1.10 and 1.14.

/// The link type of `name` (H5L_TYPE_HARD, _SOFT, _EXTERNAL), or -1 when there is no link.
static inline int xr_link_type(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5L_info2_t info;
    if (H5Lget_info2(loc, name, &info, H5P_DEFAULT) < 0) return -1;
#else
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
#endif
    return (int)info.type;
}

/// Size of the value of a soft or external link (the packed target), or 0.
static inline size_t xr_link_value_size(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5L_info2_t info;
    if (H5Lget_info2(loc, name, &info, H5P_DEFAULT) < 0) return 0;
#else
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return 0;
#endif
    return info.type == H5L_TYPE_HARD ? 0 : info.u.val_size;
}

/// The type of the object behind `name` after following links (H5O_TYPE_GROUP, ...), or -1.
static inline int xr_object_type(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info_by_name3(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#else
    H5O_info_t info;
    if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#endif
    return (int)info.type;
}

/// Calls `add(context, name)` for every link of `group` in name order, in one pass
/// (H5Lget_name_by_idx sorts the group's links again on every call: quadratic on a group of
/// thousands of links). Returns a negative value when the iteration failed.
typedef void (*xr_link_name_sink)(void *context, const char *name);
struct xr_link_names_state { xr_link_name_sink add; void *context; };
#if H5_VERSION_GE(1, 12, 0)
static inline herr_t xr_link_names_step(hid_t group, const char *name, const H5L_info2_t *info, void *data) {
#else
static inline herr_t xr_link_names_step(hid_t group, const char *name, const H5L_info_t *info, void *data) {
#endif
    (void)group; (void)info;
    struct xr_link_names_state *state = (struct xr_link_names_state *)data;
    state->add(state->context, name);
    return 0;
}
static inline herr_t xr_link_names(hid_t group, xr_link_name_sink add, void *context) {
    struct xr_link_names_state state = {add, context};
    hsize_t index = 0;
#if H5_VERSION_GE(1, 12, 0)
    return H5Literate2(group, H5_INDEX_NAME, H5_ITER_INC, &index, xr_link_names_step, &state);
#else
    return H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, xr_link_names_step, &state);
#endif
}

#endif
