/* The native crossing (issue 19): the bridge's C entry points called from
 * a CPython extension rather than through ctypes, which makes a converter
 * object per argument and a call frame of its own. One extension serves
 * every library of a platform: it takes the entry points' addresses, so it
 * knows no artifact. It builds against the limited API (abi3) of Python
 * 3.10, the full API of any Python version, or the limited API of 3.12,
 * and takes vectorcalls where the API has them: all but the first
 * (runtime/native.py builds the last for 3.12 on, the second before).
 *
 * bind(kind, address) returns a built-in function bound to the entry
 * point at address: kinds 0..4 are usegolib_call_ints0..4 (a call id and
 * 0..4 C ints), kind 5 is usegolib_call (a call id, the MessagePack
 * arguments as bytes, their length, the out buffer's address). Each
 * returns the entry point's 64-bit word, which Python reads
 * (runtime/library.py). Kind 6 is a release (usegolib_release_handle,
 * usegolib_release_result): one 64-bit id, nothing returned.
 *
 * function(...) makes a Function: one Go function called with no Python
 * frame at all, either of integers (usegolib_call_intsN) or "packed": its
 * arguments packed into MessagePack here, in C, and its result read here
 * when it is made of plain values (None, bool, int, float, str, bytes,
 * lists and dicts of them) — what msgpack's Packer and unpackb would make
 * of them, byte for byte and value for value — and handles in results,
 * made into their classes as Library.adopt makes them. Anything else
 * (another type of argument, keywords, an error, a time in the result)
 * goes to Python.
 *
 * open_library(path) and symbol(handle, name) open a bridge library and
 * find its exports, and abi_version, set_python and python_exiting call
 * the three exports that are no calls of Go functions: with the native
 * crossing, loading a library needs no ctypes (it costs milliseconds to
 * import), which serves only the callbacks' entry point and the fallback.
 *
 * The GIL is released while Go runs, as ctypes releases it: Go may call
 * back into Python from other threads. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(Py_LIMITED_API) || Py_LIMITED_API >= 0x030C0000
#define HAVE_VECTORCALL 1
#define PY_VECTORCALL_BUILT 1
#else
#define PY_VECTORCALL_BUILT 0
#endif

typedef int64_t (*ints0_t)(int32_t);
typedef int64_t (*ints1_t)(int32_t, int32_t);
typedef int64_t (*ints2_t)(int32_t, int32_t, int32_t);
typedef int64_t (*ints3_t)(int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*ints4_t)(int32_t, int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*call_t)(int32_t, const char *, int32_t, char *);
typedef int64_t (*fast_t)(int32_t, const void **, const int64_t *, unsigned char *);
typedef void (*release_t)(uint64_t);

#define MAX_INTS 5 /* a call id and four arguments */
#define KIND_CALL 5
#define KIND_RELEASE 6
#define MODE_INTS 0
#define MODE_PACKED 1

/* The word's status codes and the out buffer, as go_shim/rt/abi.go and
 * runtime/library.py define them. */
#define STATUS_OK 0
#define STATUS_INT 1
#define FLAG_BIG 8
#define HEADER_SIZE 32
#define OUT_CAPACITY (64 * 1024)
/* usegolib_call_fast's word when it did not make the call (go_shim/rt/fastargs.go). */
#define NOT_TAKEN 15
/* The most arguments of usegolib_call_fast. */
#define MAX_FAST_ARGS 4
/* Bytes this long are lent to Go, not packed (runtime/borrow.py). */
#define BORROW_MIN (64 * 1024)
/* How deep packed lists and dicts may nest before Python takes over. */
#define MAX_DEPTH 32
/* The most arguments a Function takes in C (more go to Python). */
#define MAX_TUPLE_ARGS 16
/* An argument buffer grown past this is given back after its call. */
#define KEEP_ARGS (1 << 20)

/* Set in a child after fork(): Go's runtime did not survive it, so every
 * call takes the Python path, which refuses it with ForkError. */
static int forked;
/* Calls by the integer entry points (by arity) and packed calls, counted
 * with the GIL held: how tests see which path a call took (calls()). */
static unsigned long long int_calls_made[MAX_INTS];
static unsigned long long packed_calls_made;
/* Of the packed calls, those usegolib_call_fast made (no MessagePack
 * arguments). */
static unsigned long long fast_calls_made;
/* Of those, the calls whose word Python read (errors, ext types...). */
static unsigned long long words_for_python;
/* types.MethodType, which binds a Function that is a class attribute. */
static PyObject *method_type;
/* "_hid": where a handle object keeps its handle id (runtime/handles.py). */
static PyObject *handle_id_name;
/* "__signature__", and "__usegolib_signature__": what makes it on first
 * use (runtime/functions.py), in a Function's __dict__. */
static PyObject *signature_name, *signature_maker_name;
/* "_lib", "_ext": a handle object's library, and how it packs itself. */
static PyObject *library_name, *ext_name;
/* "_complete_classes", "adopt": a Library's handle classes by class id,
 * and what makes a handle object of a class not in it yet. */
static PyObject *classes_name, *adopt_name;
/* GoObject and its _ext (set_handles): a handle argument of a library's
 * own packs as the ext Python's _ext makes, with no Python code run. */
static PyObject *handle_type, *handle_ext;
#define EXT_HANDLE 1 /* runtime/values.py */
/* Whether a new instance's attributes may be given by setting its
 * __dict__ (set at import). From Python 3.13 an instance keeps them
 * inline until its dict is asked for, and reads them there first, so a
 * dict set in place of its own is not seen: the fields go into the dict
 * it gives instead (give_fields). */
static int dict_replaces_attributes;
/* object.__new__, which makes a record's instance without its __init__. */
static PyObject *object_new;
/* The records of typed views (register_record): a dataclass -> a tuple of
 * its Go keys and a tuple of its attributes, in field order. Instances
 * pack as the map of their fields; results are made from the map. The
 * tuple's third item says whether keys and attributes are the same. */
static PyObject *records;

/* ---- the entry points as built-in functions (bind) ---------------------- */

/* The C ints of args, as ctypes would pass a Python int: a value outside
 * int32 raises OverflowError (Python checks the range before calling). */
static int as_int32s(PyObject *const *args, Py_ssize_t n, int32_t *out) {
    for (Py_ssize_t i = 0; i < n; i++) {
        long value = PyLong_AsLong(args[i]);
        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (value < INT32_MIN || value > INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "usegolib: an argument does not fit a C int");
            return -1;
        }
        out[i] = (int32_t)value;
    }
    return 0;
}

static int arity_is(Py_ssize_t given, Py_ssize_t wanted) {
    if (given != wanted) {
        PyErr_Format(PyExc_TypeError, "usegolib entry point takes %zd arguments (%zd given)", wanted, given);
        return 0;
    }
    return 1;
}

/* Calls usegolib_call_ints<arity> at entry with v (the call id, then the
 * arguments), counted, with the GIL released while Go runs. */
static int64_t call_int_entry(void *entry, Py_ssize_t arity, const int32_t *v) {
    int64_t word = 0;
    int_calls_made[arity]++;
    Py_BEGIN_ALLOW_THREADS
    switch (arity) {
    case 0: word = ((ints0_t)entry)(v[0]); break;
    case 1: word = ((ints1_t)entry)(v[0], v[1]); break;
    case 2: word = ((ints2_t)entry)(v[0], v[1], v[2]); break;
    case 3: word = ((ints3_t)entry)(v[0], v[1], v[2], v[3]); break;
    default: word = ((ints4_t)entry)(v[0], v[1], v[2], v[3], v[4]); break;
    }
    Py_END_ALLOW_THREADS
    return word;
}

/* usegolib_call_fast at entry, with the GIL released while Go runs. */
static int64_t call_fast_entry(void *entry, int32_t id, const void **p, const int64_t *v, unsigned char *out) {
    int64_t word = 0;
    Py_BEGIN_ALLOW_THREADS
    word = ((fast_t)entry)(id, p, v, out);
    Py_END_ALLOW_THREADS
    return word;
}

/* usegolib_call at entry, with the GIL released while Go runs. */
static int64_t call_entry(void *entry, int32_t id, const char *payload, Py_ssize_t size, char *out) {
    int64_t word = 0;
    Py_BEGIN_ALLOW_THREADS
    word = ((call_t)entry)(id, payload, (int32_t)size, out);
    Py_END_ALLOW_THREADS
    return word;
}

static PyObject *call_ints(PyObject *self, PyObject *const *args, Py_ssize_t nargs, int arity) {
    int32_t v[MAX_INTS];
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, arity + 1) || as_int32s(args, nargs, v) < 0 || entry == NULL) {
        return NULL;
    }
    return PyLong_FromLongLong(call_int_entry(entry, arity, v));
}

static PyObject *ints0(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 0); }
static PyObject *ints1(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 1); }
static PyObject *ints2(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 2); }
static PyObject *ints3(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 3); }
static PyObject *ints4(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 4); }

/* usegolib_call(id, payload, length, out address). The payload is the
 * bytes object Python packed; the caller keeps it alive during the call. */
static PyObject *call(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    char *payload = NULL;
    Py_ssize_t size = 0;
    int32_t id = 0;
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, 4) || entry == NULL || as_int32s(args, 1, &id) < 0) {
        return NULL;
    }
    if (PyBytes_AsStringAndSize(args[1], &payload, &size) < 0) {
        return NULL;
    }
    if (size > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "usegolib: arguments over 2 GiB");
        return NULL;
    }
    char *out = (char *)PyLong_AsVoidPtr(args[3]);
    if (out == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "usegolib: no out buffer");
        }
        return NULL;
    }
    return PyLong_FromLongLong(call_entry(entry, id, payload, size, out));
}

/* A release: Go forgets the handle or result id. */
static PyObject *release(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, 1) || entry == NULL) {
        return NULL;
    }
    unsigned long long id = PyLong_AsUnsignedLongLong(args[0]);
    if (id == (unsigned long long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    ((release_t)entry)((uint64_t)id);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* ---- a thread's buffers for packed calls -------------------------------- */

/* Each thread packs its arguments into, and Go writes its results into,
 * buffers of its own; they go with the thread. depth counts packed calls
 * under way on the thread: a call made while another is (from a callback
 * Go runs on this thread, or while Python reads a result) takes the
 * Python path, whose buffers are its own. */
typedef struct {
    unsigned char *args;
    size_t args_cap;
    unsigned char *out; /* HEADER_SIZE + OUT_CAPACITY */
    int depth;
} Scratch;

static pthread_key_t scratch_key;

static void scratch_free(void *p) {
    Scratch *s = (Scratch *)p;
    free(s->args);
    free(s->out);
    free(s);
}

/* This thread's buffers, or NULL when memory ran out. */
static Scratch *scratch(void) {
    Scratch *s = (Scratch *)pthread_getspecific(scratch_key);
    if (s != NULL) {
        return s;
    }
    s = (Scratch *)calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    s->out = (unsigned char *)malloc(HEADER_SIZE + OUT_CAPACITY);
    if (s->out == NULL || pthread_setspecific(scratch_key, s) != 0) {
        scratch_free(s);
        return NULL;
    }
    uint64_t capacity = OUT_CAPACITY; /* little-endian, as every supported platform is */
    memcpy(s->out, &capacity, sizeof capacity);
    return s;
}

/* ---- MessagePack, the subset of plain values ----------------------------- */

/* Packing returns 1 when it packed, 0 when the value is not one it packs
 * as msgpack's Packer would (Python then packs the call), -1 on an error. */
typedef struct {
    Scratch *s;
    size_t len;
    int typed;         /* registered records pack too: a typed view's function is packing */
    PyObject *library; /* the calling function's Library, whose handles pack; or NULL */
} Packing;

static int room(Packing *p, size_t more) {
    size_t need = p->len + more;
    if (need <= p->s->args_cap) {
        return 1;
    }
    size_t cap = p->s->args_cap ? p->s->args_cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    unsigned char *grown = (unsigned char *)realloc(p->s->args, cap);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    p->s->args = grown;
    p->s->args_cap = cap;
    return 1;
}

/* A type byte and a big-endian number of size bytes. */
static int put(Packing *p, unsigned char code, uint64_t value, int size) {
    if (room(p, 1 + (size_t)size) < 0) {
        return -1;
    }
    unsigned char *at = p->s->args + p->len;
    at[0] = code;
    for (int i = 0; i < size; i++) {
        at[1 + i] = (unsigned char)(value >> (8 * (size - 1 - i)));
    }
    p->len += 1 + (size_t)size;
    return 1;
}

static int put_raw(Packing *p, const char *data, size_t size) {
    if (room(p, size) < 0) {
        return -1;
    }
    memcpy(p->s->args + p->len, data, size);
    p->len += size;
    return 1;
}

/* The header of a str, bin, array or map: fix is the code of the short
 * form (0 for bin, which has none), fix_max its largest length, and
 * codes the 8-, 16- and 32-bit forms (0 where there is none). */
static int put_header(Packing *p, size_t n, unsigned char fix, size_t fix_max, const unsigned char codes[3]) {
    if (fix && n <= fix_max) {
        return put(p, (unsigned char)(fix | n), 0, 0);
    }
    if (codes[0] && n <= 0xff) {
        return put(p, codes[0], n, 1);
    }
    if (n <= 0xffff) {
        return put(p, codes[1], n, 2);
    }
    if (n <= 0xffffffffu) {
        return put(p, codes[2], n, 4);
    }
    return 0;
}

static const unsigned char STR_CODES[3] = {0xd9, 0xda, 0xdb};
static const unsigned char BIN_CODES[3] = {0xc4, 0xc5, 0xc6};
static const unsigned char ARRAY_CODES[3] = {0, 0xdc, 0xdd};
static const unsigned char MAP_CODES[3] = {0, 0xde, 0xdf};

/* An int in the smallest form, as msgpack's Packer chooses it. */
static int put_int(Packing *p, PyObject *value) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow > 0) {
        unsigned long long u = PyLong_AsUnsignedLongLong(value);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0; /* Python reports what does not fit 64 bits */
        }
        return put(p, 0xcf, u, 8);
    }
    if (overflow < 0 || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    if (v >= 0) {
        if (v <= 0x7f) return put(p, (unsigned char)v, 0, 0);
        if (v <= 0xff) return put(p, 0xcc, (uint64_t)v, 1);
        if (v <= 0xffff) return put(p, 0xcd, (uint64_t)v, 2);
        if (v <= 0xffffffffLL) return put(p, 0xce, (uint64_t)v, 4);
        return put(p, 0xcf, (uint64_t)v, 8);
    }
    if (v >= -32) return put(p, (unsigned char)(v & 0xff), 0, 0);
    if (v >= INT8_MIN) return put(p, 0xd0, (uint64_t)v & 0xff, 1);
    if (v >= INT16_MIN) return put(p, 0xd1, (uint64_t)v & 0xffff, 2);
    if (v >= INT32_MIN) return put(p, 0xd2, (uint64_t)v & 0xffffffffu, 4);
    return put(p, 0xd3, (uint64_t)v, 8);
}

static int pack(Packing *p, PyObject *value, int depth);

/* A handle object as GoObject._ext packs it (fixext 8: its id, big-endian),
 * where it is an open handle of the calling library whose class packs it
 * the usual way; else Python's (which says what is wrong with it). */
static int pack_handle(Packing *p, PyObject *value) {
    PyObject *ext = PyObject_GetAttr((PyObject *)Py_TYPE(value), ext_name);
    PyObject *library = ext == handle_ext ? PyObject_GetAttr(value, library_name) : NULL;
    PyObject *id = library == p->library ? PyObject_GetAttr(value, handle_id_name) : NULL;
    unsigned long long hid = id != NULL && PyLong_CheckExact(id) ? PyLong_AsUnsignedLongLong(id) : 0;
    Py_XDECREF(ext);
    Py_XDECREF(library);
    Py_XDECREF(id);
    if (hid == 0 || hid == (unsigned long long)-1) {
        PyErr_Clear();
        return 0;
    }
    if (room(p, 10) < 0) {
        return -1;
    }
    unsigned char *at = p->s->args + p->len;
    at[0] = 0xd7;
    at[1] = EXT_HANDLE;
    for (int i = 0; i < 8; i++) {
        at[2 + i] = (unsigned char)(hid >> (8 * (7 - i)));
    }
    p->len += 10;
    return 1;
}

/* A registered record's instance as the map of its fields, keyed as Go
 * keys them (what the typed view's converter makes of it). */
/* A field of a record instance: from its __dict__ (fields is the dict, or
 * NULL), where a dataclass's __init__ put it, else as an attribute; NULL
 * with no error set when it has none. A new reference. */
static PyObject *field_of(PyObject *value, PyObject *fields, PyObject *attr) {
    PyObject *item = fields == NULL ? NULL : PyDict_GetItemWithError(fields, attr);
    if (item != NULL) {
        Py_INCREF(item);
        return item;
    }
    item = PyErr_Occurred() ? NULL : PyObject_GetAttr(value, attr);
    if (item == NULL) {
        PyErr_Clear(); /* Python reports a field the instance lacks */
    }
    return item;
}

static int pack_record(Packing *p, PyObject *value, PyObject *spec, int depth) {
    PyObject *attrs = PyTuple_GetItem(spec, 1), *keys = PyTuple_GetItem(spec, 3);
    Py_ssize_t n = PyTuple_Size(keys);
    /* The instance's dict read directly: an attribute lookup per field
     * costs a look through the class first. */
    PyObject *fields = PyObject_GenericGetDict(value, NULL);
    if (fields != NULL && !PyDict_Check(fields)) {
        Py_CLEAR(fields);
    }
    PyErr_Clear();
    int done = put_header(p, (size_t)n, 0x80, 15, MAP_CODES);
    for (Py_ssize_t i = 0; done > 0 && i < n; i++) {
        PyObject *item = field_of(value, fields, PyTuple_GetItem(attrs, i));
        if (item == NULL) {
            done = 0;
            break;
        }
        PyObject *key = PyTuple_GetItem(keys, i);
        done = put_raw(p, PyBytes_AsString(key), (size_t)PyBytes_Size(key));
        if (done > 0) {
            done = pack(p, item, depth + 1);
        }
        Py_DECREF(item);
    }
    Py_XDECREF(fields);
    return done;
}

static int pack_items(Packing *p, PyObject *sequence, int is_list, int depth) {
    Py_ssize_t n = is_list ? PyList_Size(sequence) : PyTuple_Size(sequence);
    int done = put_header(p, (size_t)n, 0x90, 15, ARRAY_CODES);
    for (Py_ssize_t i = 0; done > 0 && i < n; i++) {
        done = pack(p, is_list ? PyList_GetItem(sequence, i) : PyTuple_GetItem(sequence, i), depth + 1);
    }
    return done;
}

static int pack_map(Packing *p, PyObject *map, int depth) {
    Py_ssize_t at = 0;
    PyObject *key, *item;
    int done = put_header(p, (size_t)PyDict_Size(map), 0x80, 15, MAP_CODES);
    while (done > 0 && PyDict_Next(map, &at, &key, &item)) {
        done = pack(p, key, depth + 1);
        if (done > 0) {
            done = pack(p, item, depth + 1);
        }
    }
    return done;
}

/* value packed as msgpack's Packer packs it, for the exact types it packs
 * without a default hook; subclasses (an IntEnum, a str subclass) and
 * every other type are Python's, as are large bytes (lent to Go) and a
 * str that is not valid UTF-8 (surrogates, which Python escapes). */
static int pack(Packing *p, PyObject *value, int depth) {
    if (depth > MAX_DEPTH) {
        return 0;
    }
    if (value == Py_None) {
        return put(p, 0xc0, 0, 0);
    }
    if (value == Py_True || value == Py_False) {
        return put(p, value == Py_True ? 0xc3 : 0xc2, 0, 0);
    }
    if (PyLong_CheckExact(value)) {
        return put_int(p, value);
    }
    if (PyFloat_CheckExact(value)) {
        double d = PyFloat_AsDouble(value);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return put(p, 0xcb, bits, 8);
    }
    if (PyUnicode_CheckExact(value)) {
        Py_ssize_t size = 0;
        const char *text = PyUnicode_AsUTF8AndSize(value, &size);
        if (text == NULL) {
            PyErr_Clear();
            return 0;
        }
        int done = put_header(p, (size_t)size, 0xa0, 31, STR_CODES);
        return done > 0 ? put_raw(p, text, (size_t)size) : done;
    }
    if (PyBytes_CheckExact(value)) {
        char *data = NULL;
        Py_ssize_t size = 0;
        if (PyBytes_AsStringAndSize(value, &data, &size) < 0) {
            return -1;
        }
        if (size >= BORROW_MIN) {
            return 0;
        }
        int done = put_header(p, (size_t)size, 0, 0, BIN_CODES);
        return done > 0 ? put_raw(p, data, (size_t)size) : done;
    }
    if (PyList_CheckExact(value) || PyTuple_CheckExact(value)) {
        return pack_items(p, value, PyList_CheckExact(value), depth);
    }
    if (PyDict_CheckExact(value)) {
        return pack_map(p, value, depth);
    }
    PyObject *spec = p->typed ? PyDict_GetItem(records, (PyObject *)Py_TYPE(value)) : NULL;
    if (spec != NULL) {
        return pack_record(p, value, spec, depth);
    }
    if (p->library != NULL && handle_type != NULL && PyObject_TypeCheck(value, (PyTypeObject *)handle_type)) {
        return pack_handle(p, value);
    }
    return 0;
}

/* Reading returns a new reference, or NULL: with an error set, an error;
 * without, a value it leaves to Python (an ext type other than a handle:
 * a time, a big integer...; a malformed or truncated payload, which Python
 * reports). library is the Library whose handles the payload may hold, or
 * NULL (they are Python's then); adopted lists the handle objects made. */
typedef struct {
    const unsigned char *at;
    const unsigned char *end;
    PyObject *library;
    PyObject *adopted;
} Reading;

static int take(Reading *r, size_t n, const unsigned char **data) {
    if ((size_t)(r->end - r->at) < n) {
        return 0;
    }
    *data = r->at;
    r->at += n;
    return 1;
}

/* A big-endian number of size bytes; 0 when the payload ends first. */
static int number(Reading *r, int size, uint64_t *value) {
    const unsigned char *data;
    if (!take(r, (size_t)size, &data)) {
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < size; i++) {
        v = v << 8 | data[i];
    }
    *value = v;
    return 1;
}

static PyObject *read_value(Reading *r, int depth);

/* The handle object of a handle Go issued (class id, handle id), as
 * Library.adopt makes it: the class's instance with _hid and _lib set,
 * made here when the library has completed the class, else by adopt. */
static PyObject *adopt_handle(Reading *r, uint32_t class_id, uint64_t handle_id) {
    PyObject *classes = PyObject_GetAttr(r->library, classes_name);
    PyObject *key = classes == NULL ? NULL : PyLong_FromUnsignedLong(class_id);
    PyObject *cls = key == NULL || !PyDict_CheckExact(classes) ? NULL : PyDict_GetItemWithError(classes, key);
    PyObject *obj = NULL;
    if (cls != NULL) {
        obj = PyObject_CallFunctionObjArgs(object_new, cls, NULL);
        PyObject *id = obj == NULL ? NULL : PyLong_FromUnsignedLongLong(handle_id);
        if (id == NULL || PyObject_SetAttr(obj, handle_id_name, id) < 0 ||
            PyObject_SetAttr(obj, library_name, r->library) < 0) {
            Py_CLEAR(obj);
        }
        Py_XDECREF(id);
    } else if (!PyErr_Occurred() && key != NULL) {
        PyObject *id = PyLong_FromUnsignedLongLong(handle_id);
        obj = id == NULL ? NULL : PyObject_CallMethodObjArgs(r->library, adopt_name, key, id, NULL);
        Py_XDECREF(id);
    }
    Py_XDECREF(key);
    Py_XDECREF(classes);
    if (obj != NULL && r->adopted == NULL) {
        r->adopted = PyList_New(0);
    }
    if (obj != NULL && (r->adopted == NULL || PyList_Append(r->adopted, obj) < 0)) {
        Py_CLEAR(obj);
    }
    return obj;
}

/* An ext type: a handle of the reading's library, or NULL for Python. */
static PyObject *read_ext(Reading *r, size_t n) {
    const unsigned char *type;
    uint64_t class_id = 0, handle_id = 0;
    if (r->library == NULL || n != 12 || !take(r, 1, &type) || *type != EXT_HANDLE) {
        return NULL;
    }
    if (!number(r, 4, &class_id) || !number(r, 8, &handle_id)) {
        return NULL;
    }
    return adopt_handle(r, (uint32_t)class_id, handle_id);
}

static PyObject *read_str(Reading *r, size_t n, int is_text) {
    const unsigned char *data;
    if (!take(r, n, &data)) {
        return NULL;
    }
    if (is_text) {
        return PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)n, "surrogateescape");
    }
    return PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)n);
}

static PyObject *read_array(Reading *r, size_t n, int depth) {
    if (n > (size_t)(r->end - r->at)) {
        return NULL; /* each item takes a byte at least */
    }
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list != NULL && i < n; i++) {
        PyObject *item = read_value(r, depth + 1);
        if (item == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SetItem(list, (Py_ssize_t)i, item);
    }
    return list;
}

static PyObject *read_map(Reading *r, size_t n, int depth) {
    if (n > (size_t)(r->end - r->at) / 2) {
        return NULL;
    }
    PyObject *map = PyDict_New();
    for (size_t i = 0; map != NULL && i < n; i++) {
        PyObject *key = read_value(r, depth + 1);
        PyObject *item = key == NULL ? NULL : read_value(r, depth + 1);
        /* A list or dict key is unhashable: Python says so. */
        int hashable = key != NULL && !PyList_CheckExact(key) && !PyDict_CheckExact(key);
        if (item == NULL || !hashable || PyDict_SetItem(map, key, item) < 0) {
            Py_CLEAR(map);
        }
        Py_XDECREF(key);
        Py_XDECREF(item);
    }
    return map;
}

static PyObject *read_value(Reading *r, int depth) {
    const unsigned char *code;
    uint64_t n = 0;
    if (depth > MAX_DEPTH || !take(r, 1, &code)) {
        return NULL;
    }
    unsigned char c = *code;
    if (c <= 0x7f) return PyLong_FromLong(c);
    if (c >= 0xe0) return PyLong_FromLong((long)(int8_t)c);
    if ((c & 0xe0) == 0xa0) return read_str(r, c & 0x1f, 1);
    if ((c & 0xf0) == 0x90) return read_array(r, c & 0x0f, depth);
    if ((c & 0xf0) == 0x80) return read_map(r, c & 0x0f, depth);
    switch (c) {
    case 0xc0: Py_RETURN_NONE;
    case 0xc2: Py_RETURN_FALSE;
    case 0xc3: Py_RETURN_TRUE;
    case 0xcc: return number(r, 1, &n) ? PyLong_FromUnsignedLongLong(n) : NULL;
    case 0xcd: return number(r, 2, &n) ? PyLong_FromUnsignedLongLong(n) : NULL;
    case 0xce: return number(r, 4, &n) ? PyLong_FromUnsignedLongLong(n) : NULL;
    case 0xcf: return number(r, 8, &n) ? PyLong_FromUnsignedLongLong(n) : NULL;
    case 0xd0: return number(r, 1, &n) ? PyLong_FromLong((int8_t)n) : NULL;
    case 0xd1: return number(r, 2, &n) ? PyLong_FromLong((int16_t)n) : NULL;
    case 0xd2: return number(r, 4, &n) ? PyLong_FromLong((long)(int32_t)n) : NULL;
    case 0xd3: return number(r, 8, &n) ? PyLong_FromLongLong((int64_t)n) : NULL;
    case 0xca: {
        if (!number(r, 4, &n)) return NULL;
        uint32_t bits = (uint32_t)n;
        float f;
        memcpy(&f, &bits, sizeof f);
        return PyFloat_FromDouble(f);
    }
    case 0xcb: {
        if (!number(r, 8, &n)) return NULL;
        double d;
        memcpy(&d, &n, sizeof d);
        return PyFloat_FromDouble(d);
    }
    case 0xd9: return number(r, 1, &n) ? read_str(r, n, 1) : NULL;
    case 0xda: return number(r, 2, &n) ? read_str(r, n, 1) : NULL;
    case 0xdb: return number(r, 4, &n) ? read_str(r, n, 1) : NULL;
    case 0xc4: return number(r, 1, &n) ? read_str(r, n, 0) : NULL;
    case 0xc5: return number(r, 2, &n) ? read_str(r, n, 0) : NULL;
    case 0xc6: return number(r, 4, &n) ? read_str(r, n, 0) : NULL;
    case 0xdc: return number(r, 2, &n) ? read_array(r, n, depth) : NULL;
    case 0xdd: return number(r, 4, &n) ? read_array(r, n, depth) : NULL;
    case 0xde: return number(r, 2, &n) ? read_map(r, n, depth) : NULL;
    case 0xdf: return number(r, 4, &n) ? read_map(r, n, depth) : NULL;
    case 0xc7: return number(r, 1, &n) ? read_ext(r, n) : NULL;
    default: return NULL; /* other ext types and what is not MessagePack: Python's */
    }
}

/* Handle objects made of a payload Python reads again: they must not
 * release their handles, which Python's objects now hold. */
static void disown(PyObject *adopted) {
    PyObject *zero = PyLong_FromLong(0);
    for (Py_ssize_t i = 0; zero != NULL && i < PyList_Size(adopted); i++) {
        if (PyObject_SetAttr(PyList_GetItem(adopted, i), handle_id_name, zero) < 0) {
            PyErr_Clear();
        }
    }
    Py_XDECREF(zero);
}

/* The whole payload as one value, or NULL (see Reading). */
static PyObject *read_payload(Reading *r) {
    PyObject *value = read_value(r, 0);
    if (value != NULL && r->at != r->end) {
        Py_CLEAR(value); /* more than one value: Python reports it */
    }
    return value;
}

/* value, what the reading made of its payload: NULL with no error set
 * when Python reads the payload again, which then adopts its handles. */
static PyObject *done_reading(Reading *r, PyObject *value) {
    if (value == NULL && !PyErr_Occurred() && r->adopted != NULL) {
        disown(r->adopted);
    }
    Py_CLEAR(r->adopted);
    return value;
}

/* ---- Function: a Go function with no Python frame ----------------------- */

/* One Go function (runtime/library.py makes them). It checks its
 * arguments as Python's path would see them — as many as the function
 * takes, no keywords, values it passes as they are — and sends anything
 * else to usual, the function's ordinary Python invoker, which converts
 * or reports it. A word that is not a plain result (nothing from an
 * integer call, an error, a big result, a result with handles) goes to
 * outcome: outcome(word) for integer calls, outcome(word, out address,
 * arguments) for packed ones. Its __dict__ holds what Python describes
 * it with (__name__, __doc__, __signature__...). */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
#ifdef HAVE_VECTORCALL
    vectorcallfunc vectorcall;
#endif
    void *entry;
    int32_t call_id;
    int mode;
    Py_ssize_t arity;
    Py_ssize_t fixed;  /* the least number of arguments (variadic), or -1 */
    int several;       /* several results: a tuple of the list Go sends */
    int typed;         /* a typed view's: registered records pack as their maps */
    int receiver;      /* a handle class's method: its first argument is the handle */
    PyObject *record;  /* the registered record the result is made into, or NULL */
    PyObject *library; /* the Library whose handles pack as arguments, or NULL */
    PyObject *usual;
    PyObject *outcome;
    void *fast_entry; /* usegolib_call_fast, or NULL: no fast-args slot */
    char fast_kinds[MAX_FAST_ARGS + 1]; /* its parameters' kinds (model.Func.Fast) */
} Function;

/* What an integer function returns for its arguments; NULL with no error
 * set when they are not all int within a C int. */
static PyObject *run_ints(Function *self, PyObject *const *args, Py_ssize_t n) {
    int32_t v[MAX_INTS];
    for (Py_ssize_t i = 0; i < n; i++) {
        int overflow = 0;
        if (!PyLong_CheckExact(args[i])) {
            return NULL;
        }
        long value = PyLong_AsLongAndOverflow(args[i], &overflow);
        if (overflow || value < INT32_MIN || value > INT32_MAX) {
            return NULL;
        }
        v[i + 1] = (int32_t)value;
    }
    v[0] = self->call_id;
    int64_t word = call_int_entry(self->entry, n, v);
    if ((word & 15) == STATUS_INT) {
        return PyLong_FromLongLong(word >> 4);
    }
    return PyObject_CallFunction(self->outcome, "L", (long long)word);
}

static PyObject *as_tuple(PyObject *const *args, Py_ssize_t n) {
    PyObject *tuple = PyTuple_New(n);
    for (Py_ssize_t i = 0; tuple != NULL && i < n; i++) {
        Py_INCREF(args[i]);
        PyTuple_SetItem(tuple, i, args[i]);
    }
    return tuple;
}

/* Give a new instance its fields: as its __dict__, or into it. */
static int give_fields(PyObject *instance, PyObject *fields) {
    if (dict_replaces_attributes) {
        return PyObject_GenericSetDict(instance, fields, NULL);
    }
    PyObject *dict = PyObject_GenericGetDict(instance, NULL);
    int done = dict == NULL ? -1 : PyDict_Update(dict, fields);
    Py_XDECREF(dict);
    return done;
}

/* The instance of record (a registered dataclass) with the fields of map,
 * as the typed view makes it; NULL with no error set where a field is
 * missing or the value is no map (Python makes it then). None stays None
 * (a nil pointer). */
static PyObject *as_record(PyObject *record, PyObject *map) {
    if (map == Py_None) {
        Py_INCREF(map);
        return map;
    }
    PyObject *spec = PyDict_GetItem(records, record);
    if (spec == NULL || !PyDict_CheckExact(map)) {
        return NULL;
    }
    PyObject *keys = PyTuple_GetItem(spec, 0), *attrs = PyTuple_GetItem(spec, 1);
    Py_ssize_t n = PyTuple_Size(keys);
    PyObject *fields = NULL;
    if (PyTuple_GetItem(spec, 2) == Py_True && PyDict_Size(map) == n) {
        /* Keys and attributes alike, and as many: the map itself. Go's
         * encoder of the record writes its fields' keys and no other, so
         * as many keys are all of them (omitempty leaves some out). */
        fields = map;
        Py_INCREF(fields);
    } else {
        fields = PyDict_New();
        for (Py_ssize_t i = 0; fields != NULL && i < n; i++) {
            PyObject *item = PyDict_GetItem(map, PyTuple_GetItem(keys, i));
            if (item == NULL || PyDict_SetItem(fields, PyTuple_GetItem(attrs, i), item) < 0) {
                Py_CLEAR(fields);
            }
        }
    }
    /* What object.__new__ does for a dataclass, without a call: allocate;
     * then the fields are its __dict__. A class that refuses (no __dict__)
     * is made by Python. */
    allocfunc alloc = fields == NULL ? NULL : (allocfunc)PyType_GetSlot((PyTypeObject *)record, Py_tp_alloc);
    PyObject *instance = alloc == NULL ? NULL : alloc((PyTypeObject *)record, 0);
    if (instance != NULL && give_fields(instance, fields) < 0) {
        Py_CLEAR(instance);
        PyErr_Clear();
    }
    Py_XDECREF(fields);
    return instance;
}

/* The plain value of a call's word, read in C: NULL with no error set
 * when Python must read it. */
static PyObject *plain_result(Function *self, int64_t word, const unsigned char *out) {
    if ((word & 15) == STATUS_INT) {
        return PyLong_FromLongLong(word >> 4);
    }
    if ((word & 15) != STATUS_OK) {
        return NULL;
    }
    size_t size = (size_t)(word >> 4);
    if (size == 0) {
        Py_RETURN_NONE;
    }
    Reading r = {out + HEADER_SIZE, out + HEADER_SIZE + size, self->library, NULL};
    PyObject *value = read_payload(&r);
    PyObject *made = value;
    if (value != NULL && (self->record != NULL || self->several)) {
        made = self->record != NULL ? as_record(self->record, value) : PySequence_Tuple(value);
        Py_DECREF(value);
    }
    return done_reading(&r, made);
}

/* Whether args are what the fast-args slot takes, as it takes them: p[i]
 * a str's UTF-8 or a bytes' data and v[i] its length, or v[i] the number
 * (a float's bits). Exact types only: a subclass, a bytearray, an int
 * beyond int64 go the usual way, which converts or reports them. The
 * objects own the memory, and the caller holds them for the call. */
static int fast_arguments(Function *self, PyObject *const *args, Py_ssize_t n, const void **p, int64_t *v) {
    if (self->fast_entry == NULL || (size_t)n != strlen(self->fast_kinds)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *a = args[i];
        Py_ssize_t size = 0;
        p[i] = NULL;
        switch (self->fast_kinds[i]) {
        case 's':
            p[i] = PyUnicode_CheckExact(a) ? PyUnicode_AsUTF8AndSize(a, &size) : NULL;
            v[i] = (int64_t)size;
            break;
        case 'b':
            p[i] = PyBytes_CheckExact(a) ? PyBytes_AsString(a) : NULL;
            v[i] = p[i] != NULL ? (int64_t)PyBytes_Size(a) : 0;
            break;
        case 'i': {
            int overflow = 0;
            long long value = PyLong_CheckExact(a) ? PyLong_AsLongLongAndOverflow(a, &overflow) : -1;
            if (!PyLong_CheckExact(a) || overflow || (value == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                return 0;
            }
            v[i] = (int64_t)value;
            continue;
        }
        case 'f': {
            if (!PyFloat_CheckExact(a)) {
                return 0;
            }
            double value = PyFloat_AsDouble(a);
            memcpy(&v[i], &value, sizeof value);
            continue;
        }
        case '?':
            if (a != Py_True && a != Py_False) {
                return 0;
            }
            v[i] = a == Py_True;
            continue;
        default:
            return 0;
        }
        if (p[i] == NULL) { /* not the exact type, or a str with lone surrogates */
            PyErr_Clear();
            return 0;
        }
    }
    return 1;
}

/* The word of the call through the fast-args slot, or NOT_TAKEN: pack
 * the arguments then. */
static int64_t run_fast(Function *self, PyObject *const *args, Py_ssize_t n, unsigned char *out) {
    const void *p[MAX_FAST_ARGS];
    int64_t v[MAX_FAST_ARGS];
    if (!fast_arguments(self, args, n, p, v)) {
        return NOT_TAKEN;
    }
    int64_t word = call_fast_entry(self->fast_entry, self->call_id, p, v, out);
    if (word != NOT_TAKEN) {
        fast_calls_made++;
    }
    return word;
}

/* What a packed function returns; NULL with no error set when Python
 * packs its arguments (see pack) or another call is under way on this
 * thread. */
static PyObject *run_packed(Function *self, PyObject *const *args, Py_ssize_t n, PyObject *tuple) {
    Scratch *s = scratch();
    if (s == NULL) {
        return PyErr_NoMemory();
    }
    if (s->depth > 0) {
        return NULL;
    }
    /* Under way from here: packing a record reads its attributes, which
     * may run Python code, which may call Go. */
    s->depth++;
    int64_t word = run_fast(self, args, n, s->out);
    if (word == NOT_TAKEN) {
        Packing p = {s, 0, self->typed, self->library};
        int done = put_header(&p, (size_t)n, 0x90, 15, ARRAY_CODES);
        for (Py_ssize_t i = 0; done > 0 && i < n; i++) {
            done = pack(&p, args[i], 0);
        }
        if (done <= 0 || p.len > INT32_MAX) {
            s->depth--;
            return NULL; /* an error is set when done < 0 */
        }
        word = call_entry(self->entry, self->call_id, (const char *)s->args, (Py_ssize_t)p.len, (char *)s->out);
    }
    packed_calls_made++;
    PyObject *result = plain_result(self, word, s->out);
    if (result == NULL && !PyErr_Occurred()) {
        PyObject *given = tuple != NULL ? (Py_INCREF(tuple), tuple) : as_tuple(args, n);
        if (given != NULL) {
            words_for_python++;
            result = PyObject_CallFunction(self->outcome, "LKO", (long long)word,
                                           (unsigned long long)(uintptr_t)s->out, given);
            Py_DECREF(given);
        }
    }
    s->depth--;
    if (s->args_cap > KEEP_ARGS) {
        free(s->args);
        s->args = NULL;
        s->args_cap = 0;
    }
    return result;
}

/* The call, or NULL with no error set when usual makes it. */
static PyObject *run_with(Function *self, PyObject *const *args, Py_ssize_t n, PyObject *tuple) {
    if (self->mode == MODE_INTS) {
        return run_ints(self, args, n);
    }
    return run_packed(self, args, n, tuple);
}

/* A method of a handle class: the call with the receiver's handle id in
 * its place, as the Python method passes it; NULL with no error set when
 * the receiver is not an open handle (Python's method says so). */
static PyObject *run_method(Function *self, PyObject *const *args, Py_ssize_t n) {
    PyObject *items[MAX_TUPLE_ARGS];
    PyObject *id = n > 0 && n <= MAX_TUPLE_ARGS ? PyObject_GetAttr(args[0], handle_id_name) : NULL;
    if (id == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *result = NULL;
    if (PyLong_CheckExact(id) && PyObject_IsTrue(id) == 1) {
        items[0] = id;
        for (Py_ssize_t i = 1; i < n; i++) {
            items[i] = args[i];
        }
        result = run_with(self, items, n, NULL);
    }
    Py_DECREF(id);
    return result;
}

static PyObject *run(Function *self, PyObject *const *args, Py_ssize_t n, PyObject *tuple) {
    int fits = self->fixed < 0 ? n == self->arity : n >= self->fixed;
    if (forked || !fits) {
        return NULL;
    }
    if (self->receiver) {
        return run_method(self, args, n);
    }
    return run_with(self, args, n, tuple);
}

/* The borrowed items of a tuple, for run: up to max of them. */
static Py_ssize_t items_of(PyObject *tuple, PyObject **items, Py_ssize_t max) {
    Py_ssize_t n = PyTuple_Size(tuple);
    for (Py_ssize_t i = 0; i < n && i < max; i++) {
        items[i] = PyTuple_GetItem(tuple, i);
    }
    return n;
}

static PyObject *function_call(PyObject *op, PyObject *args, PyObject *kwargs) {
    Function *self = (Function *)op;
    PyObject *items[MAX_TUPLE_ARGS];
    PyObject *result = NULL;
    Py_ssize_t n = items_of(args, items, MAX_TUPLE_ARGS);
    if (n <= MAX_TUPLE_ARGS && (kwargs == NULL || PyDict_Size(kwargs) == 0)) {
        result = run(self, items, n, args);
    }
    if (result == NULL && !PyErr_Occurred()) {
        return PyObject_Call(self->usual, args, kwargs);
    }
    return result;
}

#ifdef HAVE_VECTORCALL
static PyObject *function_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    Function *self = (Function *)op;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *result = NULL;
    if (kwnames == NULL || PyTuple_Size(kwnames) == 0) {
        result = run(self, args, n, NULL);
    }
    if (result == NULL && !PyErr_Occurred()) {
        return PyObject_Vectorcall(self->usual, args, nargsf, kwnames);
    }
    return result;
}
#endif

static int function_traverse(PyObject *op, visitproc visit, void *arg) {
    Function *self = (Function *)op;
    Py_VISIT(self->dict);
    Py_VISIT(self->usual);
    Py_VISIT(self->outcome);
    Py_VISIT(self->record);
    Py_VISIT(self->library);
    return 0;
}

static int function_clear(PyObject *op) {
    Function *self = (Function *)op;
    Py_CLEAR(self->dict);
    Py_CLEAR(self->usual);
    Py_CLEAR(self->outcome);
    Py_CLEAR(self->record);
    Py_CLEAR(self->library);
    return 0;
}

static void function_dealloc(PyObject *op) {
    PyTypeObject *type = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    function_clear(op);
    freefunc free_slot = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_slot(op);
    Py_DECREF(type);
}

/* Pickled by reference, as a Python function is: its __qualname__ in its
 * __module__ (a string from __reduce__ means a global). */
static PyObject *function_reduce(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyObject_GetAttrString(op, "__qualname__");
}

static PyObject *function_repr(PyObject *op) {
    PyObject *name = PyObject_GetAttrString(op, "__qualname__");
    if (name == NULL) {
        PyErr_Clear();
        return PyUnicode_FromString("<Go function>");
    }
    PyObject *repr = PyUnicode_FromFormat("<Go function %U>", name);
    Py_DECREF(name);
    return repr;
}

/* A class attribute binds its instance as the first argument, as a
 * Python function does (a method of a named integer type). */
static PyObject *function_get(PyObject *op, PyObject *instance, PyObject *owner) {
    (void)owner;
    if (instance == NULL || instance == Py_None) {
        Py_INCREF(op);
        return op;
    }
    return PyObject_CallFunctionObjArgs(method_type, op, instance, NULL);
}

static PyMemberDef function_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(Function, dict), READONLY, NULL},
#ifdef HAVE_VECTORCALL
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Function, vectorcall), READONLY, NULL},
#endif
    {NULL, 0, 0, 0, NULL},
};

/* __signature__, made on first use by the callable the __dict__ holds as
 * __usegolib_signature__, then kept there: making one imports inspect and
 * typing, which cost a process milliseconds, and most functions are called
 * but never inspected. */
static PyObject *function_get_signature(PyObject *op, void *closure) {
    (void)closure;
    PyObject *dict = PyObject_GenericGetDict(op, NULL);
    if (dict == NULL) {
        return NULL;
    }
    PyObject *signature = PyDict_GetItemWithError(dict, signature_name);
    if (signature != NULL) {
        Py_INCREF(signature);
    } else if (!PyErr_Occurred()) {
        PyObject *maker = PyDict_GetItemWithError(dict, signature_maker_name);
        if (maker != NULL) {
            Py_INCREF(maker);
            signature = PyObject_CallObject(maker, NULL);
            Py_DECREF(maker);
            if (signature != NULL && PyDict_SetItem(dict, signature_name, signature) < 0) {
                Py_CLEAR(signature);
            }
        } else if (!PyErr_Occurred()) {
            PyErr_SetObject(PyExc_AttributeError, signature_name);
        }
    }
    Py_DECREF(dict);
    return signature;
}

static int function_set_signature(PyObject *op, PyObject *value, void *closure) {
    (void)closure;
    PyObject *dict = PyObject_GenericGetDict(op, NULL);
    if (dict == NULL) {
        return -1;
    }
    int done = value != NULL ? PyDict_SetItem(dict, signature_name, value) : PyDict_DelItem(dict, signature_name);
    Py_DECREF(dict);
    return done;
}

static PyGetSetDef function_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {"__signature__", function_get_signature, function_set_signature, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyObject *function_type;

/* A new Function, its fields for the caller to fill (then GC-track it). */
static Function *new_function(void) {
    Function *self = PyObject_GC_New(Function, (PyTypeObject *)function_type);
    if (self != NULL) {
        self->dict = NULL;
        self->fast_entry = NULL;
        self->fast_kinds[0] = '\0';
#ifdef HAVE_VECTORCALL
        self->vectorcall = function_vectorcall;
#endif
    }
    return self;
}

/* as_method(usual): this function as a method of a handle class, which
 * takes the handle object first and calls with its handle id; usual is
 * the Python method, for what C does not take. */
static PyObject *function_as_method(PyObject *op, PyObject *usual) {
    Function *self = (Function *)op;
    if (!PyCallable_Check(usual) || self->arity < 1) {
        PyErr_SetString(PyExc_TypeError, "usegolib: as_method(usual) of a function taking a receiver");
        return NULL;
    }
    Function *method = new_function();
    if (method == NULL) {
        return NULL;
    }
    method->entry = self->entry;
    method->call_id = self->call_id;
    method->mode = self->mode;
    method->arity = self->arity;
    method->fixed = self->fixed;
    method->several = self->several;
    method->typed = self->typed;
    method->receiver = 1;
    Py_INCREF(usual);
    method->usual = usual;
    Py_INCREF(self->outcome);
    method->outcome = self->outcome;
    Py_XINCREF(self->record);
    method->record = self->record;
    Py_XINCREF(self->library);
    method->library = self->library;
    PyObject_GC_Track((PyObject *)method);
    return (PyObject *)method;
}

static PyMethodDef function_methods[] = {
    {"__reduce__", function_reduce, METH_NOARGS, NULL},
    {"as_method", function_as_method, METH_O, "as_method(usual): this function as a handle class's method."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot function_slots[] = {
    {Py_tp_call, function_call},
    {Py_tp_descr_get, function_get},
    {Py_tp_traverse, function_traverse},
    {Py_tp_clear, function_clear},
    {Py_tp_dealloc, function_dealloc},
    {Py_tp_repr, function_repr},
    {Py_tp_members, function_members},
    {Py_tp_getset, function_getset},
    {Py_tp_methods, function_methods},
    {0, NULL},
};

#ifdef HAVE_VECTORCALL
#define FUNCTION_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL)
#else
#define FUNCTION_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC)
#endif

static PyType_Spec function_spec = {
    "usegolib.runtime._native.Function", sizeof(Function), 0, FUNCTION_FLAGS, function_slots,
};

/* function(mode, address, call_id, arity, fixed, several, usual, outcome,
 * typed, record, receiver, library, fast, kinds): typed says registered
 * records pack (a typed view's function); record is None or the registered
 * record the result is made into; receiver says the first argument is a
 * handle object whose handle id the call takes (a method); library is the
 * Library whose handle objects pack as arguments, or None; fast is the
 * address of usegolib_call_fast for a call with a fast-args slot (else 0)
 * and kinds its parameters' kinds (a str). */
static PyObject *function(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 14)) {
        return NULL;
    }
    long mode = PyLong_AsLong(args[0]);
    void *entry = PyLong_AsVoidPtr(args[1]);
    long call_id = PyLong_AsLong(args[2]);
    long arity = PyLong_AsLong(args[3]);
    long fixed = PyLong_AsLong(args[4]);
    int several = PyObject_IsTrue(args[5]);
    int typed = PyObject_IsTrue(args[8]);
    int receiver = PyObject_IsTrue(args[10]);
    void *fast = PyLong_AsVoidPtr(args[12]);
    Py_ssize_t nkinds = 0;
    const char *kinds = PyUnicode_Check(args[13]) ? PyUnicode_AsUTF8AndSize(args[13], &nkinds) : NULL;
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (kinds == NULL || nkinds > MAX_FAST_ARGS || (fast != NULL && (nkinds != arity || fixed >= 0 || receiver))) {
        PyErr_SetString(PyExc_ValueError, "usegolib: fast-args kinds must be a str of one letter per parameter");
        return NULL;
    }
    int ints = mode == MODE_INTS && arity < MAX_INTS && fixed < 0;
    if (entry == NULL || arity < 0 || arity > MAX_TUPLE_ARGS || (mode != MODE_PACKED && !ints) ||
        call_id < INT32_MIN || call_id > INT32_MAX || fixed > arity) {
        PyErr_SetString(PyExc_ValueError, "usegolib: no such entry point");
        return NULL;
    }
    if (!PyCallable_Check(args[6]) || !PyCallable_Check(args[7])) {
        PyErr_SetString(PyExc_TypeError, "usegolib: usual and outcome must be callables");
        return NULL;
    }
    if (args[9] != Py_None && (mode != MODE_PACKED || !typed || PyDict_GetItem(records, args[9]) == NULL)) {
        PyErr_SetString(PyExc_ValueError, "usegolib: a result record must be registered, and the call packed");
        return NULL;
    }
    Function *self = new_function();
    if (self == NULL) {
        return NULL;
    }
    self->entry = entry;
    self->call_id = (int32_t)call_id;
    self->mode = (int)mode;
    self->arity = arity;
    self->fixed = fixed;
    self->several = several;
    Py_INCREF(args[6]);
    self->usual = args[6];
    Py_INCREF(args[7]);
    self->outcome = args[7];
    self->typed = typed;
    self->receiver = receiver;
    self->record = args[9] == Py_None ? NULL : (Py_INCREF(args[9]), args[9]);
    self->library = args[11] == Py_None ? NULL : (Py_INCREF(args[11]), args[11]);
    self->fast_entry = fast;
    memcpy(self->fast_kinds, kinds, (size_t)nkinds + 1);
    PyObject_GC_Track((PyObject *)self);
    return (PyObject *)self;
}

/* ---- the module ---------------------------------------------------------- */

/* set_handles(GoObject): handle objects (instances of its subclasses that
 * pack with its _ext) pack in C. */
static PyObject *set_handles(PyObject *module, PyObject *base) {
    (void)module;
    PyObject *ext = PyType_Check(base) ? PyObject_GetAttr(base, ext_name) : NULL;
    if (ext == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "usegolib: set_handles(GoObject)");
        }
        return NULL;
    }
    Py_XDECREF(handle_ext);
    handle_ext = ext;
    Py_INCREF(base);
    Py_XDECREF(handle_type);
    handle_type = base;
    Py_RETURN_NONE;
}

/* register_record(cls, keys, attrs): instances of cls pack as the map of
 * their attributes attrs under the Go keys keys (tuples of str alike). */
/* Each of keys (str) as the MessagePack str it packs as, made once per
 * record: packing an instance then copies them. */
static PyObject *packed_keys(PyObject *keys) {
    Py_ssize_t n = PyTuple_Size(keys);
    PyObject *packed = PyTuple_New(n);
    for (Py_ssize_t i = 0; packed != NULL && i < n; i++) {
        Py_ssize_t size = 0;
        PyObject *key = PyTuple_GetItem(keys, i);
        const char *text = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &size) : NULL;
        if (text == NULL || size > 0xffff) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "usegolib: record keys are short str");
            }
            Py_CLEAR(packed);
            break;
        }
        unsigned char head[3];
        size_t head_len = 1;
        if (size < 32) {
            head[0] = (unsigned char)(0xa0 | size);
        } else if (size < 256) {
            head[0] = 0xd9, head[1] = (unsigned char)size, head_len = 2;
        } else {
            head[0] = 0xda, head[1] = (unsigned char)(size >> 8), head[2] = (unsigned char)size, head_len = 3;
        }
        PyObject *item = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)head_len + size);
        if (item == NULL) {
            Py_CLEAR(packed);
            break;
        }
        char *data = PyBytes_AsString(item);
        memcpy(data, head, head_len);
        memcpy(data + head_len, text, (size_t)size);
        PyTuple_SetItem(packed, i, item);
    }
    return packed;
}

static PyObject *register_record(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 3)) {
        return NULL;
    }
    if (!PyType_Check(args[0]) || !PyTuple_CheckExact(args[1]) || !PyTuple_CheckExact(args[2]) ||
        PyTuple_Size(args[1]) != PyTuple_Size(args[2])) {
        PyErr_SetString(PyExc_TypeError, "usegolib: register_record(cls, keys, attrs) with tuples of one length");
        return NULL;
    }
    int same = PyObject_RichCompareBool(args[1], args[2], Py_EQ);
    if (same < 0) {
        return NULL;
    }
    PyObject *packed = packed_keys(args[1]);
    PyObject *spec = packed == NULL ? NULL : PyTuple_Pack(4, args[1], args[2], same ? Py_True : Py_False, packed);
    Py_XDECREF(packed);
    if (spec == NULL || PyDict_SetItem(records, args[0], spec) < 0) {
        Py_XDECREF(spec);
        return NULL;
    }
    Py_DECREF(spec);
    Py_RETURN_NONE;
}

static PyObject *calls(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return Py_BuildValue("((KKKKK)KKK)", int_calls_made[0], int_calls_made[1], int_calls_made[2], int_calls_made[3],
                         int_calls_made[4], packed_calls_made, words_for_python, fast_calls_made);
}

/* packb(value): value packed as a typed view's call's arguments are (with
 * registered records), or None where
 * Python would pack it; unpackb(data): (data read as a call's result is,)
 * or None where Python would read it. For tests, which hold them to
 * msgpack's own. */
static PyObject *packb(PyObject *module, PyObject *value) {
    (void)module;
    Scratch *s = scratch();
    if (s == NULL) {
        return PyErr_NoMemory();
    }
    Packing p = {s, 0, 1, NULL};
    int done = pack(&p, value, 0);
    if (done < 0) {
        return NULL;
    }
    if (done == 0) {
        Py_RETURN_NONE;
    }
    return PyBytes_FromStringAndSize((const char *)s->args, (Py_ssize_t)p.len);
}

static PyObject *unpackb(PyObject *module, PyObject *data) {
    (void)module;
    char *bytes = NULL;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(data, &bytes, &size) < 0) {
        return NULL;
    }
    Reading r = {(const unsigned char *)bytes, (const unsigned char *)bytes + size, NULL, NULL};
    PyObject *value = done_reading(&r, read_payload(&r));
    if (value == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *read = PyTuple_Pack(1, value);
    Py_DECREF(value);
    return read;
}

static PyObject *after_fork(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    forked = 1;
    Py_RETURN_NONE;
}

static PyMethodDef entry_points[] = {
    {"usegolib_call_ints0", (PyCFunction)(void (*)(void))ints0, METH_FASTCALL, NULL},
    {"usegolib_call_ints1", (PyCFunction)(void (*)(void))ints1, METH_FASTCALL, NULL},
    {"usegolib_call_ints2", (PyCFunction)(void (*)(void))ints2, METH_FASTCALL, NULL},
    {"usegolib_call_ints3", (PyCFunction)(void (*)(void))ints3, METH_FASTCALL, NULL},
    {"usegolib_call_ints4", (PyCFunction)(void (*)(void))ints4, METH_FASTCALL, NULL},
    {"usegolib_call", (PyCFunction)(void (*)(void))call, METH_FASTCALL, NULL},
    {"usegolib_release", (PyCFunction)(void (*)(void))release, METH_FASTCALL, NULL},
};

static PyObject *bind(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    long kind = PyLong_AsLong(args[0]);
    if (kind == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (kind < 0 || kind > KIND_RELEASE) {
        PyErr_Format(PyExc_ValueError, "usegolib: no entry point kind %ld", kind);
        return NULL;
    }
    if (PyLong_AsVoidPtr(args[1]) == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "usegolib: a null entry point");
        }
        return NULL;
    }
    /* The address is the function's self: no state of its own to free. */
    return PyCFunction_NewEx(&entry_points[kind], args[1], NULL);
}

/* The library at path, opened as ctypes.CDLL opens it (RTLD_NOW, its
 * symbols kept to itself): its handle as an int. */
static PyObject *open_library(PyObject *module, PyObject *path) {
    (void)module;
    PyObject *encoded = NULL;
    if (!PyUnicode_FSConverter(path, &encoded)) {
        return NULL;
    }
    const char *name = PyBytes_AsString(encoded);
    void *handle = NULL;
    if (name != NULL) {
        Py_BEGIN_ALLOW_THREADS
        handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        Py_END_ALLOW_THREADS
    }
    Py_DECREF(encoded);
    if (name == NULL) {
        return NULL;
    }
    if (handle == NULL) {
        const char *why = dlerror();
        PyErr_SetString(PyExc_OSError, why != NULL ? why : "dlopen failed");
        return NULL;
    }
    return PyLong_FromVoidPtr(handle);
}

/* The address value holds, or NULL with an error set (a null one, what, is
 * never a valid argument). */
static void *pointer_at(PyObject *value, const char *what) {
    void *pointer = PyLong_AsVoidPtr(value);
    if (pointer == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_ValueError, "usegolib: a null %s", what);
    }
    return pointer;
}

/* The export at address, to call as a function of its type. */
static void *export_at(PyObject *address) { return pointer_at(address, "entry point"); }

/* The address of export name in the library of handle; AttributeError
 * where it has none, as a ctypes library's attribute lookup raises. */
static PyObject *symbol(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    void *handle = pointer_at(args[0], "library handle");
    if (handle == NULL) {
        return NULL;
    }
    const char *name = PyUnicode_AsUTF8AndSize(args[1], NULL);
    if (name == NULL) {
        return NULL;
    }
    void *address = dlsym(handle, name);
    if (address == NULL) {
        PyErr_Format(PyExc_AttributeError, "the library has no export %s", name);
        return NULL;
    }
    return PyLong_FromVoidPtr(address);
}


/* The limited API names this flag of PyMemoryView_FromMemory from 3.11
 * on; its value is part of the stable ABI. */
#ifndef PyBUF_READ
#define PyBUF_READ 0x100
#endif

typedef int32_t (*abi_version_t)(void);
typedef void (*set_python_t)(void *);
typedef int32_t (*python_exiting_t)(int32_t);

/* usegolib_abi_version(): the first call into a library waits until Go
 * has started its runtime, so the GIL is released meanwhile. */
static PyObject *abi_version(PyObject *module, PyObject *address) {
    (void)module;
    abi_version_t entry = (abi_version_t)export_at(address);
    if (entry == NULL) {
        return NULL;
    }
    int32_t version;
    Py_BEGIN_ALLOW_THREADS
    version = entry();
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(version);
}

/* usegolib_set_python(python): python is the address of the callbacks'
 * entry point (a ctypes callback's). */
static PyObject *set_python(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    set_python_t entry = (set_python_t)export_at(args[0]);
    void *python = entry == NULL ? NULL : export_at(args[1]);
    if (python == NULL) {
        return NULL;
    }
    entry(python);
    Py_RETURN_NONE;
}

/* usegolib_python_exiting(wait_ms), with the GIL released: it waits for
 * the callbacks under way, which need the GIL to end. */
static PyObject *python_exiting(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    python_exiting_t entry = (python_exiting_t)export_at(args[0]);
    long wait = entry == NULL ? -1 : PyLong_AsLong(args[1]);
    if (entry == NULL || (wait == -1 && PyErr_Occurred())) {
        return NULL;
    }
    int32_t running;
    Py_BEGIN_ALLOW_THREADS
    running = entry((int32_t)wait);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(running);
}

/* size bytes at address (an out buffer, a big result Go pins) as a
 * read-only memoryview, as ctypes' from_address would give them. */
static PyObject *memory(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    void *address = export_at(args[0]);
    Py_ssize_t size = address == NULL ? -1 : PyLong_AsSsize_t(args[1]);
    if (address == NULL || (size == -1 && PyErr_Occurred())) {
        return NULL;
    }
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "usegolib: a negative size");
        return NULL;
    }
    return PyMemoryView_FromMemory((char *)address, size, PyBUF_READ);
}

static PyMethodDef methods[] = {
    {"open_library", open_library, METH_O, "open_library(path): the library's handle (OSError where it fails)."},
    {"symbol", (PyCFunction)(void (*)(void))symbol, METH_FASTCALL,
     "symbol(handle, name): the address of the library's export name."},
    {"abi_version", abi_version, METH_O, "abi_version(address): what usegolib_abi_version() returns."},
    {"set_python", (PyCFunction)(void (*)(void))set_python, METH_FASTCALL,
     "set_python(address, entry): usegolib_set_python(entry)."},
    {"python_exiting", (PyCFunction)(void (*)(void))python_exiting, METH_FASTCALL,
     "python_exiting(address, wait_ms): usegolib_python_exiting(wait_ms), without the GIL."},
    {"memory", (PyCFunction)(void (*)(void))memory, METH_FASTCALL,
     "memory(address, size): those bytes as a read-only memoryview."},
    {"set_handles", set_handles, METH_O, "set_handles(GoObject): handle objects pack as arguments in C."},
    {"register_record", (PyCFunction)(void (*)(void))register_record, METH_FASTCALL,
     "register_record(cls, keys, attrs): instances of cls cross as the map of their fields."},
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL,
     "bind(kind, address): the entry point at address as a built-in function."},
    {"function", (PyCFunction)(void (*)(void))function, METH_FASTCALL,
     "function(mode, address, call_id, arity, fixed, several, usual, outcome, typed, record, receiver, library): "
     "a Go function."},
    {"after_fork", after_fork, METH_NOARGS, "In a forked child: send every call to its Python path."},
    {"packb", packb, METH_O, "packb(value): value packed as arguments are, or None where Python packs it."},
    {"unpackb", unpackb, METH_O, "unpackb(data): (data read as a result is,) or None where Python reads it."},
    {"calls", calls, METH_NOARGS,
     "How many calls took each integer entry point (by arity), how many were packed, and of those how many "
     "ended in Python."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_native", "usegolib's native crossing into Go (runtime/native.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

static int add_constants(PyObject *module) {
    return PyModule_AddIntConstant(module, "KIND_CALL", KIND_CALL) < 0 ||
                   PyModule_AddIntConstant(module, "KIND_RELEASE", KIND_RELEASE) < 0 ||
                   PyModule_AddIntConstant(module, "MODE_INTS", MODE_INTS) < 0 ||
                   PyModule_AddIntConstant(module, "MODE_PACKED", MODE_PACKED) < 0 ||
                   PyModule_AddIntConstant(module, "VECTORCALL", PY_VECTORCALL_BUILT) < 0
               ? -1
               : 0;
}

PyMODINIT_FUNC PyInit__native(void) {
    PyObject *module = PyModule_Create(&definition);
    if (module == NULL) {
        return NULL;
    }
    int major = 0, minor = 0;
    dict_replaces_attributes = sscanf(Py_GetVersion(), "%d.%d", &major, &minor) == 2 && major == 3 && minor < 13;
    PyObject *types = PyImport_ImportModule("types");
    method_type = types == NULL ? NULL : PyObject_GetAttrString(types, "MethodType");
    Py_XDECREF(types);
    PyObject *builtins = method_type == NULL ? NULL : PyImport_ImportModule("builtins");
    PyObject *object = builtins == NULL ? NULL : PyObject_GetAttrString(builtins, "object");
    object_new = object == NULL ? NULL : PyObject_GetAttrString(object, "__new__");
    Py_XDECREF(object);
    Py_XDECREF(builtins);
    handle_id_name = object_new == NULL ? NULL : PyUnicode_InternFromString("_hid");
    library_name = handle_id_name == NULL ? NULL : PyUnicode_InternFromString("_lib");
    ext_name = library_name == NULL ? NULL : PyUnicode_InternFromString("_ext");
    classes_name = ext_name == NULL ? NULL : PyUnicode_InternFromString("_complete_classes");
    adopt_name = classes_name == NULL ? NULL : PyUnicode_InternFromString("adopt");
    signature_name = adopt_name == NULL ? NULL : PyUnicode_InternFromString("__signature__");
    signature_maker_name = signature_name == NULL ? NULL : PyUnicode_InternFromString("__usegolib_signature__");
    records = signature_maker_name == NULL ? NULL : PyDict_New();
    if (records == NULL) {
        Py_CLEAR(method_type);
    }
    if (method_type != NULL && pthread_key_create(&scratch_key, scratch_free) != 0) {
        Py_CLEAR(method_type);
        PyErr_SetString(PyExc_OSError, "usegolib: no thread-local key left for the native crossing");
    }
    if (method_type == NULL) {
        Py_DECREF(module);
        return NULL;
    }
    function_type = PyType_FromSpec(&function_spec);
    if (function_type == NULL || add_constants(module) < 0 ||
        PyModule_AddObject(module, "Function", function_type) < 0) {
        Py_XDECREF(function_type);
        Py_DECREF(module);
        return NULL;
    }
    Py_INCREF(function_type); /* the module's reference went to AddObject; keep ours */
    return module;
}
