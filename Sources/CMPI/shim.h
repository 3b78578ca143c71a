// Open MPI through a few plain C functions: MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM … are macros over
// addresses of globals, which Swift cannot import, and MPI_Request / MPI_Status are handled here so
// the Swift side sees only ints, pointers and byte counts.
#include <mpi.h>

/// MPI_Init_thread asking for MPI_THREAD_SERIALIZED (callers hold one lock around every call);
/// returns the error code and writes the level provided.
static inline int sers_mpi_init(int *provided) {
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, provided);
}
static inline int sers_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int sers_mpi_finalize(void) { return MPI_Finalize(); }
static inline int sers_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }

static inline int sers_mpi_rank(void) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}
static inline int sers_mpi_size(void) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

/// In-place sum of `count` floats over every rank.
static inline int sers_mpi_allreduce_floats(float *data, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, data, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
/// The same, started without waiting; `*request` is passed to sers_mpi_wait.
static inline int sers_mpi_iallreduce_floats(float *data, int count, void **request) {
    MPI_Request handle;
    int error = MPI_Iallreduce(MPI_IN_PLACE, data, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &handle);
    *request = (void *)handle;
    return error;
}
static inline int sers_mpi_wait(void *request) {
    MPI_Request handle = (MPI_Request)request;
    return MPI_Wait(&handle, MPI_STATUS_IGNORE);
}
/// In-place sum (`max` = 0) or maximum (`max` = 1) of `count` doubles over every rank.
static inline int sers_mpi_allreduce_doubles(double *data, int count, int max) {
    return MPI_Allreduce(MPI_IN_PLACE, data, count, MPI_DOUBLE, max ? MPI_MAX : MPI_SUM, MPI_COMM_WORLD);
}
static inline int sers_mpi_broadcast(void *data, int count, int root) {
    return MPI_Bcast(data, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
static inline int sers_mpi_send(const void *data, int count, int destination, int tag) {
    return MPI_Send(data, count, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}
/// Whether a message from `source` (-1: any) with `tag` (-1: any) is waiting; blocks when `wait`.
/// Writes its source, tag and size in bytes.
static inline int sers_mpi_probe(int source, int tag, int wait, int *from, int *tagged, int *count) {
    MPI_Status status;
    int flag = 1;
    int s = source < 0 ? MPI_ANY_SOURCE : source, t = tag < 0 ? MPI_ANY_TAG : tag;
    if (wait) MPI_Probe(s, t, MPI_COMM_WORLD, &status);
    else MPI_Iprobe(s, t, MPI_COMM_WORLD, &flag, &status);
    if (!flag) return 0;
    *from = status.MPI_SOURCE;
    *tagged = status.MPI_TAG;
    MPI_Get_count(&status, MPI_BYTE, count);
    return 1;
}
static inline int sers_mpi_receive(void *data, int count, int source, int tag) {
    return MPI_Recv(data, count, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
