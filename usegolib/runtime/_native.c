/* The native crossing (issue 19): the bridge's C entry points called from
 * a METH_FASTCALL function of a CPython extension rather than through
 * ctypes, which makes a converter object per argument and a call frame of
 * its own. One extension serves every library and every Python of a
 * platform: it is written against the limited API of Python 3.10 (abi3)
 * and takes the entry point's address, so it knows no artifact.
 *
 * bind(kind, address) returns a built-in function bound to the entry
 * point at address: kinds 0..4 are usegolib_call_ints0..4 (a call id and
 * 0..4 C ints), kind 5 is usegolib_call (a call id, the MessagePack
 * arguments as bytes, their length, the out buffer's address). Each
 * returns the entry point's 64-bit word, as the ctypes path does; Python
 * reads it (runtime/library.py). The GIL is released while Go runs, as
 * ctypes releases it: Go may call back into Python from other threads. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef int64_t (*ints0_t)(int32_t);
typedef int64_t (*ints1_t)(int32_t, int32_t);
typedef int64_t (*ints2_t)(int32_t, int32_t, int32_t);
typedef int64_t (*ints3_t)(int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*ints4_t)(int32_t, int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*call_t)(int32_t, const char *, int32_t, char *);

#define MAX_INTS 5 /* a call id and four arguments */
#define KIND_CALL 5

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

static PyObject *call_ints(PyObject *self, PyObject *const *args, Py_ssize_t nargs, int arity) {
    int32_t v[MAX_INTS];
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, arity + 1) || as_int32s(args, nargs, v) < 0 || entry == NULL) {
        return NULL;
    }
    int64_t word = 0;
    Py_BEGIN_ALLOW_THREADS
    switch (arity) {
    case 0: word = ((ints0_t)entry)(v[0]); break;
    case 1: word = ((ints1_t)entry)(v[0], v[1]); break;
    case 2: word = ((ints2_t)entry)(v[0], v[1], v[2]); break;
    case 3: word = ((ints3_t)entry)(v[0], v[1], v[2], v[3]); break;
    default: word = ((ints4_t)entry)(v[0], v[1], v[2], v[3], v[4]); break;
    }
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(word);
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
    int64_t word = 0;
    Py_BEGIN_ALLOW_THREADS
    word = ((call_t)entry)(id, payload, (int32_t)size, out);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(word);
}

static PyMethodDef entry_points[] = {
    {"usegolib_call_ints0", (PyCFunction)(void (*)(void))ints0, METH_FASTCALL, NULL},
    {"usegolib_call_ints1", (PyCFunction)(void (*)(void))ints1, METH_FASTCALL, NULL},
    {"usegolib_call_ints2", (PyCFunction)(void (*)(void))ints2, METH_FASTCALL, NULL},
    {"usegolib_call_ints3", (PyCFunction)(void (*)(void))ints3, METH_FASTCALL, NULL},
    {"usegolib_call_ints4", (PyCFunction)(void (*)(void))ints4, METH_FASTCALL, NULL},
    {"usegolib_call", (PyCFunction)(void (*)(void))call, METH_FASTCALL, NULL},
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
    if (kind < 0 || kind > KIND_CALL) {
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

static PyMethodDef methods[] = {
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL,
     "bind(kind, address): the entry point at address as a built-in function."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_native", "usegolib's native crossing into Go (runtime/native.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    PyObject *module = PyModule_Create(&definition);
    if (module != NULL && PyModule_AddIntConstant(module, "KIND_CALL", KIND_CALL) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
